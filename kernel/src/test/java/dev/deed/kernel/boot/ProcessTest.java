package dev.deed.kernel.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.process.Errno;
import dev.deed.process.ProcessBody;
import dev.deed.process.Program;
import dev.deed.process.Rights;

import dev.deed.process.SyscallException;
import dev.deed.process.WaitResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Processes through the syscall surface: fork, exec, exit, waitpid, threads, memory, kill, orphans. */
class ProcessTest {
    static List<String> arches() {
        return Booted.arches();
    }

    @ParameterizedTest
    @MethodSource("arches")
    void forkExecExitWaitpid(String arch) {
        Booted b = Booted.boot(arch);
        List<String> log = new ArrayList<>();
        b.init(sys -> {
            long page = sys.mmap(0, 4096, "rw");
            sys.store64(page, 42);
            int child = sys.fork(c -> {
                log.add("child sees " + c.load64(page) + ", ppid " + c.getppid());
                c.store64(page, 7); // its own copy
                c.exec(Program.of("echo", e -> {
                    log.add("echo runs as pid " + e.getpid() + ": " + e.read("/proc/self/cmdline").replace('\0', ' ').strip());
                    e.exit(3);
                }, "echo", "hello"));
            });
            WaitResult w = sys.waitpid(child);
            log.add("reaped " + w.pid() + " status " + w.status() + "; parent still sees " + sys.load64(page));
        });
        assertEquals(List.of("child sees 42, ppid 1", "echo runs as pid 2: echo hello", "reaped 2 status 3; parent still sees 42"), log);
        b.assertEverythingReturned();
    }

    /** exec rewrites the heap's command line: a shorter one leaves no tail of the longer one behind. */
    @ParameterizedTest
    @MethodSource("arches")
    void execReplacesTheCommandLineInTheHeap(String arch) {
        Booted b = Booted.boot(arch);
        List<String> lines = new ArrayList<>();
        b.init(sys -> {
            int child = sys.fork(c -> c.exec(Program.of("long", l -> {
                lines.add(b.kernel().processes().info(l.getpid()).orElseThrow().debugCmdline());
                l.exec(Program.of("sh", s -> {
                    lines.add(b.kernel().processes().info(s.getpid()).orElseThrow().debugCmdline());
                    s.exit(0);
                }, "sh"));
            }, "long", "--a-rather-long-argument", "x".repeat(300))));
            sys.waitpid(child);
        });
        assertEquals(List.of("long --a-rather-long-argument " + "x".repeat(255 - 30), "sh"), lines);
        b.assertEverythingReturned();
    }

    @ParameterizedTest
    @MethodSource("arches")
    void orphansAreReparentedToInitAndReaped(String arch) {
        Booted b = Booted.boot(arch);
        List<String> log = new ArrayList<>();
        b.init(sys -> {
            int middle = sys.fork(m -> {
                m.fork(g -> {
                    g.yieldNow(); // the middle process exits meanwhile
                    g.yieldNow();
                    log.add("grandchild's parent is now " + g.getppid());
                    g.exit(5);
                });
                m.exit(0);
            });
            log.add("middle " + sys.waitpid(middle).status());
            WaitResult orphan = sys.waitpid(-1);
            log.add("init reaped orphan " + orphan.pid() + " status " + orphan.status());
        });
        assertEquals(List.of("middle 0", "grandchild's parent is now 1", "init reaped orphan 3 status 5"), log);
        b.assertEverythingReturned();
    }

    @ParameterizedTest
    @MethodSource("arches")
    void threadsShareTheAddressSpaceAndTheLastOneEndsTheProcess(String arch) {
        Booted b = Booted.boot(arch);
        List<Long> seen = new ArrayList<>();
        b.init(sys -> {
            int child = sys.fork(c -> {
                long page = c.mmap(0, 4096, "rw");
                c.spawnThread(t -> {
                    t.store64(page, 99);
                    t.exitThread();
                });
                c.spawnThread(t -> seen.add(Long.valueOf(t.read("/proc/self/status").lines()
                        .filter(l -> l.startsWith("Threads:")).findFirst().orElseThrow().split("\t")[1])));
                c.yieldNow();
                c.yieldNow();
                seen.add(c.load64(page));
                c.exitThread(); // the main thread goes first; the process lives on until its last thread
            });
            seen.add((long) sys.waitpid(child).status());
        });
        assertEquals(List.of(2L, 99L, 0L), seen, "the second thread sees itself and main: the first has exited");
        b.assertEverythingReturned();
    }

    @ParameterizedTest
    @MethodSource("arches")
    void badArgumentsGiveLinuxErrorsAndChangeNothing(String arch) {
        Booted b = Booted.boot(arch);
        List<String> errors = new ArrayList<>();
        b.init(sys -> {
            expect(errors, Errno.ECHILD, () -> sys.waitpid(-1));
            expect(errors, Errno.ECHILD, () -> sys.waitpid(77));
            expect(errors, Errno.EINVAL, () -> sys.waitpid(0));
            expect(errors, Errno.EINVAL, () -> sys.mmap(0, 0, "rw"));
            expect(errors, Errno.EINVAL, () -> sys.mmap(0, 100, "rw"));
            expect(errors, Errno.EINVAL, () -> sys.mmap(0x1001, 4096, "rw"));
            expect(errors, Errno.EINVAL, () -> sys.mmap(0, 4096, "wr"));
            expect(errors, Errno.EINVAL, () -> sys.munmap(0x7000_0000L, 4096));
            long page = sys.mmap(0, 8192, "r");
            expect(errors, Errno.ENOMEM, () -> sys.mprotect(page, 3 * 4096, "rw"));
            expect(errors, Errno.EINVAL, () -> sys.load64(page + 4)); // not 8-byte aligned
            expect(errors, Errno.ESRCH, () -> sys.kill(4242));
            expect(errors, Errno.EPERM, () -> sys.kill(1));
            expect(errors, Errno.ENOEXEC, () -> sys.exec(new Program("bad", List.of(new Program.Segment(".text", 0x1_0000, 0x1000, Rights.RX),
                    new Program.Segment(".data", 0x1_0000, 0x1000, Rights.RW)), s -> { }, 0x1_0000, List.of("bad"))));
            sys.mprotect(page, 4096, "rw");
            sys.store64(page, 5);
            int dead = sys.fork(c -> {
                expect(errors, Errno.ECHILD, () -> c.waitpid(1)); // init exists, but is not its child
                c.exit(1);
            });
            sys.waitpid(dead);
            expect(errors, Errno.ESRCH, () -> sys.kill(dead));
            expect(errors, Errno.ECHILD, () -> sys.waitpid(dead));
            sys.munmap(page, 8192);
        });
        assertEquals(16, errors.size(), errors.toString());
        assertTrue(errors.stream().allMatch(e -> e.contains(": ")), errors.toString());
        b.assertEverythingReturned();
    }

    @ParameterizedTest
    @MethodSource("arches")
    void killTerminatesAChildBlockedInWaitpid(String arch) {
        Booted b = Booted.boot(arch);
        List<Integer> statuses = new ArrayList<>();
        b.init(sys -> {
            int victim = sys.fork(v -> {
                v.fork(g -> {
                    for (int i = 0; i < 1000; i++) {
                        g.yieldNow();
                    }
                });
                v.waitpid(-1); // blocks: the grandchild keeps yielding
                v.exit(0);
            });
            sys.yieldNow();
            sys.kill(victim);
            statuses.add(sys.waitpid(victim).status());
            statuses.add(sys.waitpid(-1).status()); // the orphaned grandchild, reparented to init
        });
        assertEquals(List.of(137, 0), statuses);
        b.assertEverythingReturned();
    }

    interface Call {
        void run();
    }

    private static void expect(List<String> errors, Errno errno, Call call) {
        try {
            call.run();
        } catch (SyscallException e) {
            if (e.errno() != errno) {
                throw new AssertionError("expected " + errno + ", got " + e.getMessage(), e);
            }
            errors.add(e.getMessage());
            return;
        }
        throw new AssertionError("expected " + errno + ", the call succeeded");
    }


    /**
     * A fault the kernel cannot resolve ends the process with SIGSEGV, as on Linux: a store to a
     * read-only mapping (also after a refused mprotect changed nothing), a load where nothing is
     * mapped. Everything is reclaimed and the parent sees status 139.
     */
    @ParameterizedTest
    @MethodSource("arches")
    void anUnresolvableFaultIsSigsegvAndEverythingIsReclaimed(String arch) {
        Booted b = Booted.boot(arch);
        List<Integer> statuses = new ArrayList<>();
        List<String> crashes = new ArrayList<>();
        b.init(sys -> {
            List<ProcessBody> victims = List.of(
                    c -> c.store64(c.mmap(0, 8192, "r"), 1),
                    c -> {
                        long page = c.mmap(0, 8192, "r");
                        try {
                            c.mprotect(page, 3 * 4096, "rw");
                        } catch (SyscallException refused) {
                            c.store64(page, 1); // the refused mprotect changed nothing: still read-only
                        }
                    },
                    c -> c.load64(0x7000_0000L),
                    c -> c.store64(0x1_0000, 7), // .text is r-x
                    c -> c.load64(0xC000_0000L)); // the kernel's half (i386's 3 GiB split; Sv39 user space ends here too)
            for (ProcessBody v : victims) {
                int pid = sys.fork(c -> {
                    v.run(c);
                    c.exit(0); // not reached
                });
                crashes.add(crashOf(b, sys, pid));
                statuses.add(sys.waitpid(pid).status());
            }
        });
        assertEquals(List.of(139, 139, 139, 139, 139), statuses);
        assertTrue(crashes.stream().allMatch(c -> c.startsWith("SIGSEGV: ")), crashes.toString());
        assertTrue(crashes.get(4).contains("kernel address"), crashes.get(4));
        b.assertEverythingReturned();
    }

    /** Why {@code pid} crashed, read once it is a zombie (before it is reaped). */
    private static String crashOf(Booted b, dev.deed.process.Sys sys, int pid) {
        while (b.kernel().processes().info(pid).orElseThrow().state() != dev.deed.process.ProcessState.ZOMBIE) {
            sys.yieldNow();
        }
        return b.kernel().processes().crash(pid).orElse("no crash recorded");
    }

    /**
     * A child that calls through its parent's {@code Sys} (captured by the lambda it was forked with)
     * is refused at once — the context belongs to another task — and ends with SIGABRT; it does not
     * wait forever for a turn that belongs to its parent.
     */
    @ParameterizedTest
    @MethodSource("arches")
    void aChildUsingItsParentsSysIsRefusedNotHung(String arch) {
        Booted b = Booted.boot(arch);
        int[] status = new int[1];
        String[] crash = new String[1];
        b.init(sys -> {
            int child = sys.fork(c -> c.exit(sys.getpid())); // sys is init's
            crash[0] = crashOf(b, sys, child);
            status[0] = sys.waitpid(child).status();
        });
        assertEquals(134, status[0]);
        assertTrue(crash[0].contains("outside its task"), crash[0]);
        b.assertEverythingReturned();
    }
}
