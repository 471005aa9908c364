package dev.deed.kernel.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.frame.FaultPlan;
import dev.deed.frame.FaultSite;
import dev.deed.process.Program;
import dev.deed.process.ProcessState;
import dev.deed.process.WaitResult;
import dev.deed.task.KernelStack;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The failure sweep over every kernel operation that allocates: each runs with its k-th allocation
 * failing, k = 1, 2, … until it succeeds; every refusal reports its errno and changes nothing
 * ({@link Sweep}); then the system goes on and reaps back to the boot baseline.
 */
class FailureSweepTest {
    static List<String> arches() {
        return Booted.arches();
    }

    @ParameterizedTest
    @MethodSource("arches")
    void forkExecMmapAndSpawnThreadAreAllOrNothing(String arch) {
        Booted b = Booted.boot(arch);
        Kernel k = b.kernel();
        List<String> swept = new ArrayList<>();
        b.init(sys -> {
            long data = sys.mmap(0, 8 * 4096, "rw");
            sys.store64(data, 42);
            var fork = Sweep.syscall(k, "fork", () -> sys.fork(c -> {
                Program echo = Program.of("echo", e -> e.exit(c.load64(data) == 42 ? 5 : 1), "echo", "hi");
                var exec = Sweep.syscall(k, "exec", () -> {
                    c.exec(echo);
                    return "unreachable";
                });
                throw new AssertionError("exec returned " + exec);
            }));
            swept.add("fork refused " + fork.refused() + " times");
            // the child runs now: its exec is swept inside it, then the new program exits 5
            WaitResult child = sys.waitpid(fork.result());
            assertEquals(5, child.status(), "the child's copy and its exec'd program both came out right");

            var mmap = Sweep.syscall(k, "mmap", () -> sys.mmap(0x7000_0000L, 16 * 4096, "rw"));
            swept.add("mmap refused " + mmap.refused() + " times");
            assertEquals(0x7000_0000L, mmap.result());
            var tableNode = Sweep.syscall(k, "mmap needing table nodes", FaultSite.PAGE_TABLE,
                    () -> sys.mmap(0x3000_0000L, 4096, "rw")); // a 2 MiB / 4 MiB region with no last-level table yet
            swept.add("mmap refused " + tableNode.refused() + " times for want of a table node");

            var thread = Sweep.syscall(k, "spawnThread", () -> sys.spawnThread(t -> t.exitThread()));
            swept.add("spawnThread refused " + thread.refused() + " times");
            sys.yieldNow(); // the thread runs and exits

            FaultPlan plan = k.frames().faults();
            long before = allocations(plan);
            sys.munmap(mmap.result(), 4 * 4096);
            sys.mprotect(mmap.result() + 4 * 4096, 4 * 4096, "r");
            assertEquals(before, allocations(plan), "munmap and mprotect of user pages allocate nothing: they cannot be refused");
        });
        for (String line : swept) {
            assertTrue(!line.contains(" 0 times"), "every swept call allocates, so some attempt was refused: " + swept);
        }
        b.assertEverythingReturned();
    }

    @ParameterizedTest
    @MethodSource("arches")
    void aKernelStackIsAllOrNothingAndItsSlotStaysFree(String arch) {
        Booted b = Booted.boot(arch);
        Kernel k = b.kernel();
        var stack = Sweep.syscall(k, "kernel-stack allocation", () -> k.scheduler().stacks().allocate());
        try (KernelStack s = stack.result()) {
            assertTrue(stack.refused() >= 4, "the stack site, its frames and its table nodes were all swept: " + stack.refused());
            assertEquals(0, s.slot(), "every refused attempt left slot 0 free");
        }
        b.init(sys -> { });
        b.assertEverythingReturned();
    }

    @ParameterizedTest
    @MethodSource("arches")
    void exitAllocatesNothingAndTheZombieHoldsNoMemory(String arch) {
        Booted b = Booted.boot(arch);
        Kernel k = b.kernel();
        FaultPlan plan = k.frames().faults();
        long[] around = new long[2];
        b.init(sys -> {
            int child = sys.fork(c -> {
                c.mmap(0, 64 * 4096, "rw");
                c.spawnThread(t -> t.pause());
                around[0] = allocations(plan);
                plan.failNth(1, null); // were exit to allocate anything, it would be refused
                c.exit(9);
            });
            sys.yieldNow();
            sys.yieldNow();
            around[1] = allocations(plan);
            plan.clear();
            var zombie = k.processes().info(child).orElseThrow();
            assertEquals(ProcessState.ZOMBIE, zombie.state());
            assertEquals(0, zombie.vmSize(), "a zombie holds no memory");
            assertTrue(zombie.areas().isEmpty());
            assertEquals(9, sys.waitpid(child).status());
        });
        assertEquals(around[0], around[1], "exit made no allocation");
        b.assertEverythingReturned();
    }

    private static long allocations(FaultPlan plan) {
        long n = 0;
        for (FaultSite site : FaultSite.values()) {
            n += plan.attempts(site);
        }
        return n;
    }
}
