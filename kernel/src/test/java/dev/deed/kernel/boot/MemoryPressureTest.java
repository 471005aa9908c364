package dev.deed.kernel.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.frame.FaultSite;
import dev.deed.process.Errno;
import dev.deed.process.Program;
import dev.deed.process.Sys;
import dev.deed.process.SyscallException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A refused call changes nothing, under real memory exhaustion as under injected faults: one
 * regression per way this used to go wrong (raw exceptions, leaked pids and frames, stranded
 * children, threads and zombies that held on to memory).
 */
class MemoryPressureTest {
    static List<String> arches() {
        return Booted.arches();
    }

    /** Maps memory until mmap is refused: afterwards no frame is left for anything bigger than a page table. */
    private static void exhaust(Sys sys) {
        for (long chunk = 256 * 4096; chunk >= 4096; chunk /= 2) {
            while (true) {
                try {
                    sys.mmap(0, chunk, "rw", true); // populated: demand-zero memory would take no frames
                } catch (SyscallException e) {
                    assertEquals(Errno.ENOMEM, e.errno(), e.getMessage());
                    break;
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("arches")
    void withNoFreeFrameForkExecAndSpawnThreadAreRefusedWithEnomemAndLeakNothing(String arch) {
        Booted b = Booted.boot(arch, 32L << 20);
        Kernel k = b.kernel();
        List<Errno> refusals = new ArrayList<>();
        b.init(sys -> {
            exhaust(sys);
            int pids = k.processes().pidsInUse();
            String status = sys.read("/proc/self/status");
            for (Runnable call : List.<Runnable>of(
                    () -> sys.fork(c -> c.exit(0)),
                    () -> sys.exec(Program.of("big", e -> e.exit(0))),
                    () -> sys.spawnThread(t -> t.exitThread()))) {
                try {
                    call.run();
                } catch (SyscallException e) {
                    refusals.add(e.errno());
                }
            }
            assertEquals(pids, k.processes().pidsInUse(), "no pid leaked");
            assertEquals(status, sys.read("/proc/self/status"), "threads and memory as they were");
        });
        assertEquals(List.of(Errno.ENOMEM, Errno.ENOMEM, Errno.ENOMEM), refusals);
        b.assertEverythingReturned(); // init is reapable: its thread count was never left wrong
    }

    /**
     * The reported scenario, now copy-on-write: on a 16 MiB machine init maps 10 MiB and forks — the
     * fork shares instead of copying, so it succeeds — and the child writes every page: the copies
     * run out of memory part-way, the child ends with SIGKILL (137), the parent's memory is untouched,
     * and everything comes back.
     */
    @ParameterizedTest
    @MethodSource("arches")
    void aChildThatCannotCopyTenMibIsKilledAndEverythingComesBack(String arch) {
        Booted b = Booted.boot(arch, 16L << 20);
        int[] status = new int[1];
        b.init(sys -> {
            long big = sys.mmap(0, 10L << 20, "rw");
            for (long off = 0; off < 10L << 20; off += 4096) {
                sys.store64(big + off, off);
            }
            int child = sys.fork(c -> {
                for (long off = 0; off < 10L << 20; off += 4096) {
                    c.store64(big + off, -off); // each first write breaks a share: a copy
                }
                c.exit(0);
            });
            status[0] = sys.waitpid(child).status();
            assertEquals(4096L * 7, sys.load64(big + 4096L * 7), "the parent's memory is untouched");
        });
        assertEquals(137, status[0], "out of memory in a page fault is SIGKILL");
        b.assertEverythingReturned();
    }

    /** A fork whose last step (its child's thread) fails leaves no child behind, and init can be reaped. */
    @ParameterizedTest
    @MethodSource("arches")
    void aForkRefusedAtItsLastStepStrandsNoChild(String arch) {
        Booted b = Booted.boot(arch);
        Kernel k = b.kernel();
        b.init(sys -> {
            k.frames().faults().failNth(1, FaultSite.KERNEL_STACK);
            SyscallException e = assertThrows(SyscallException.class, () -> sys.fork(c -> c.exit(0)));
            assertEquals(Errno.ENOMEM, e.errno());
            assertEquals(List.of(1), k.processes().pids(), "no child process was left without a thread");
            assertThrows(SyscallException.class, () -> sys.waitpid(-1), "and init has no child to wait for");
        });
        b.assertEverythingReturned();
    }

    /** 100 000 short-lived threads in one process on 64 MiB: each stack goes as soon as its thread is switched off. */
    @ParameterizedTest
    @MethodSource("arches")
    void threadChurnKeepsKernelStacksBounded(String arch) {
        Booted b = Booted.boot(arch, 64L << 20);
        Kernel k = b.kernel();
        int[] most = new int[1];
        b.init(sys -> {
            for (int i = 0; i < 100_000; i++) {
                sys.spawnThread(t -> t.exitThread());
                sys.yieldNow();
                most[0] = Math.max(most[0], k.scheduler().census().stacks());
            }
        });
        assertTrue(most[0] <= 2, "at most init's and one thread's stack at a time, saw " + most[0]);
        b.assertEverythingReturned();
    }

    /** A zombie holds only what waitpid needs: its memory, page tables and stacks went at exit; /proc shows it as Linux does. */
    @ParameterizedTest
    @MethodSource("arches")
    void aZombieHoldsNoUserMemoryNoPageTablesAndNoStack(String arch) {
        Booted b = Booted.boot(arch);
        Kernel k = b.kernel();
        b.init(sys -> {
            k.settle();
            ResourceReport before = k.report();
            int child = sys.fork(c -> {
                c.mmap(0, 278 * 4096, "rw");
                c.spawnThread(t -> t.pause());
                c.exit(3);
            });
            sys.yieldNow();
            sys.yieldNow();
            k.settle();
            ResourceReport zombie = k.report();
            assertEquals(before.framesByUsage(), zombie.framesByUsage(), "no user frame, table node or stack of the zombie is left:\n"
                    + zombie.compareTo(before));
            assertEquals(before.stacks(), zombie.stacks());
            String status = sys.read("/proc/" + child + "/status");
            assertTrue(status.contains("State:\tZ (zombie)") && status.contains("Threads:\t1"), status);
            assertFalse(status.contains("VmSize"), "a zombie has no memory to report:\n" + status);
            assertEquals("", sys.read("/proc/" + child + "/maps"));
            assertEquals(3, sys.waitpid(child).status());
        });
        b.assertEverythingReturned();
    }
}
