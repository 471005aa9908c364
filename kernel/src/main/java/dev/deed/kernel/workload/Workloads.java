package dev.deed.kernel.workload;

import dev.deed.process.Errno;
import dev.deed.process.ProcessBody;
import dev.deed.process.Program;
import dev.deed.process.Sys;
import dev.deed.process.SyscallException;
import java.util.List;
import java.util.stream.Collectors;

/** The workloads ./deed knows, by name. */
public final class Workloads {
    private Workloads() {
    }

    public static List<Workload> all() {
        return List.of(new Demo(), new ForkBomb(), new Threads(), new MmapChurn(), new ProcfsWalk());
    }

    public static Workload named(String name) {
        return all().stream().filter(w -> w.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown workload '" + name + "'; available: "
                        + all().stream().map(Workload::name).collect(Collectors.joining(", "))));
    }

    /** The meminfo lines a kernel developer looks at first. */
    static String meminfo(TracedSys t) {
        List<String> wanted = List.of("MemTotal:", "MemFree:", "AnonPages:", "Slab:", "KernelStack:", "PageTables:");
        return String.join("\n", t.read("/proc/meminfo").lines().filter(l -> wanted.stream().anyMatch(l::startsWith)).toList());
    }

    /** Reaps children until there are none (ECHILD), returning how many were reaped. */
    static int reapAll(TracedSys t) {
        int n = 0;
        while (true) {
            try {
                t.waitpid(-1, false);
                n++;
            } catch (SyscallException e) {
                if (e.errno() != Errno.ECHILD) {
                    throw e;
                }
                return n;
            }
        }
    }

    /** A small program: touches {@code pages} pages of fresh memory, then exits with {@code status}. */
    static Program toucher(Transcript out, String name, int pages, int status, String... argv) {
        return Program.of(name, s -> {
            TracedSys t = new TracedSys(s, out);
            long buf = t.mmap(pages * 4096L, "rw");
            for (int i = 0; i < pages; i++) {
                t.raw().store64(buf + i * 4096L, i + 1);
            }
            t.transcript().note(String.format("  [pid %d] %s wrote %d pages at 0x%x", s.getpid(), name, pages, buf));
            t.exit(status);
        }, argv.length == 0 ? new String[] {name} : argv);
    }

    static final class Demo implements Workload {
        @Override
        public String name() {
            return "demo";
        }

        @Override
        public String description() {
            return "init forks children that exec programs, map memory, spawn threads and exit; one child is orphaned and reaped by init; a last one forks and its child breaks the copy-on-write shares";
        }

        @Override
        public ProcessBody init(Transcript out, ProcessBody snapshot, int scale) {
            return sys -> {
                TracedSys t = new TracedSys(sys, out);
                out.section("/proc/meminfo at boot", meminfo(t));
                long scratch = t.mmap(16384, "rw");
                t.store64(scratch, 42);
                t.fork("hello", c -> new TracedSys(c, out).exec(toucher(out, "hello", 4, 0, "hello", "world")));
                t.fork("worker", c -> new TracedSys(c, out).exec(Program.of("worker", s -> {
                    TracedSys w = new TracedSys(s, out);
                    for (int i = 0; i < 2; i++) {
                        int n = i;
                        w.spawnThread(th -> {
                            TracedSys tt = new TracedSys(th, out);
                            long buf = tt.mmap(8192, "rw");
                            tt.store64(buf, 100 + n);
                            tt.load64(buf);
                            tt.exitThread();
                        });
                    }
                    out.section("/proc/" + s.getpid() + "/maps (worker, 3 threads)", w.read("/proc/self/maps"));
                    w.yieldNow();
                    w.yieldNow();
                    w.exit(3);
                }, "worker", "--threads", "2")));
                t.fork("parent", c -> {
                    TracedSys p = new TracedSys(c, out);
                    p.fork("orphan", o -> {
                        TracedSys orphan = new TracedSys(o, out);
                        for (int i = 0; i < 4; i++) {
                            orphan.yieldNow();
                        }
                        String ppid = orphan.read("/proc/self/status").lines().filter(l -> l.startsWith("PPid:")).findFirst().orElse("");
                        out.note("  [pid " + o.getpid() + "] orphan: my parent exited; /proc/self/status says " + ppid.replace('\t', ' '));
                        orphan.exec(toucher(out, "orphan", 2, 7));
                    });
                    p.exit(0);
                });
                out.section("ps, right after the forks", Ps.listing(sys));
                for (int i = 0; i < 12; i++) {
                    t.yieldNow();
                }
                out.section("ps, the children have run (Z = exited, waiting to be reaped)", Ps.listing(sys));
                t.waitpid(t.fork("cow", c -> new TracedSys(c, out).exec(copyOnWrite(out))), false);
                snapshot.run(sys);
                int reaped = reapAll(t);
                out.note("  init reaped " + reaped + " processes, the orphan among them; loads its own memory back: " + t.load64(scratch));
                out.section("/proc/meminfo at the end", meminfo(t));
                t.exit(0);
            };
        }
    }

    /**
     * Fork without copying: {@code cow} writes 16 pages and forks; the child shows both processes'
     * smaps_rollup (every page resident in both, each counted half in Pss), writes 8 of the pages —
     * each first write a page fault that breaks the share — and shows them again.
     */
    static Program copyOnWrite(Transcript out) {
        int pages = 16;
        return Program.of("cow", s -> {
            TracedSys t = new TracedSys(s, out);
            long buf = t.mmap(pages * 4096L, "rw");
            for (int i = 0; i < pages; i++) {
                t.raw().store64(buf + i * 4096L, i + 1);
            }
            out.note(String.format("  [pid %d] cow wrote %d pages at 0x%x, then forks: the child shares them", s.getpid(), pages, buf));
            int parent = s.getpid();
            int child = t.fork("cow child", c -> {
                TracedSys ct = new TracedSys(c, out);
                out.section("copy-on-write: right after the fork, parent and child share every page",
                        rollup(ct, parent, "cow") + "\n" + rollup(ct, c.getpid(), "cow child"));
                for (int i = 0; i < pages / 2; i++) {
                    ct.raw().store64(buf + i * 4096L, -(i + 1)); // a write fault: the page is copied for the child
                }
                out.section("the child wrote " + pages / 2 + " of the " + pages + " pages: those shares broke, each side owns its copy",
                        rollup(ct, parent, "cow") + "\n" + rollup(ct, c.getpid(), "cow child")
                        + String.format("%n  the child reads %d at 0x%x", ct.raw().load64(buf), buf));
                ct.exit(0);
            });
            t.waitpid(child, false);
            out.note(String.format("  [pid %d] cow reads its first page back: %d (untouched by the child's write)", s.getpid(), t.raw().load64(buf)));
            t.exit(0);
        }, "cow", "--pages", Integer.toString(pages));
    }

    /** One line from {@code /proc/PID/smaps_rollup}: what the process has in memory, and how much of it is shared. */
    static String rollup(TracedSys t, int pid, String name) {
        String r = t.raw().read("/proc/" + pid + "/smaps_rollup");
        return String.format("  pid %-3d %-10s Rss %4d kB   Pss %4d kB   Shared %4d kB   Private %4d kB", pid, name,
                kb(r, "Rss"), kb(r, "Pss"), kb(r, "Shared_Clean") + kb(r, "Shared_Dirty"), kb(r, "Private_Clean") + kb(r, "Private_Dirty"));
    }

    private static long kb(String file, String field) {
        return file.lines().filter(l -> l.startsWith(field + ":")).findFirst()
                .map(l -> Long.parseLong(l.substring(field.length() + 1).replace("kB", "").trim()))
                .orElseThrow(() -> new IllegalStateException("no " + field + " line in smaps_rollup"));
    }

    static final class ForkBomb implements Workload {
        @Override
        public String name() {
            return "forkbomb";
        }

        @Override
        public String description() {
            return "a bounded fork bomb: every process forks two more until --scale processes exist (default 200); all reaped";
        }

        @Override
        public ProcessBody init(Transcript out, ProcessBody snapshot, int scale) {
            int limit = scale > 0 ? scale : 200;
            int[] created = new int[1];
            return sys -> {
                TracedSys t = new TracedSys(sys, out);
                ProcessBody[] bomb = new ProcessBody[1];
                bomb[0] = s -> {
                    for (int i = 0; i < 2 && created[0] < limit; i++) {
                        created[0]++;
                        s.fork(bomb[0]);
                    }
                    s.yieldNow();
                    s.exit(0);
                };
                created[0]++;
                sys.fork(bomb[0]);
                for (int i = 0; i < 8; i++) {
                    t.yieldNow();
                }
                snapshot.run(sys);
                int reaped = reapAll(new TracedSys(sys, Transcript.quiet()));
                out.note("  forkbomb: " + created[0] + " processes forked; init reaped " + reaped + " (the rest by their parents)");
                t.exit(0);
            };
        }
    }

    static final class Threads implements Workload {
        @Override
        public String name() {
            return "threads";
        }

        @Override
        public String description() {
            return "one process with --scale threads (default 8), each mapping, writing and reading its own memory, then"
                    + " sleeping until init, after a look at /proc, kills the process";
        }

        @Override
        public ProcessBody init(Transcript out, ProcessBody snapshot, int scale) {
            int count = scale > 0 ? scale : 8;
            return sys -> {
                TracedSys t = new TracedSys(sys, out);
                int threaded = t.fork("threaded", c -> {
                    TracedSys p = new TracedSys(c, out);
                    for (int i = 0; i < count; i++) {
                        int n = i;
                        p.spawnThread(th -> {
                            long buf = th.mmap(0, 16384, "rw");
                            th.store64(buf, n);
                            if (th.load64(buf) != n) {
                                throw new IllegalStateException("thread " + n + " read back something else");
                            }
                            th.pause(); // until the process is killed
                        });
                    }
                    p.yieldNow();
                    out.section("/proc/" + c.getpid() + "/status", p.read("/proc/self/status"));
                    c.pause();
                });
                for (int i = 0; i < 4; i++) {
                    t.yieldNow();
                }
                snapshot.run(sys);
                t.kill(threaded);
                reapAll(t);
                t.exit(0);
            };
        }
    }

    static final class MmapChurn implements Workload {
        @Override
        public String name() {
            return "mmap-churn";
        }

        @Override
        public String description() {
            return "map, write, protect and unmap memory --scale times (default 200) in one process";
        }

        @Override
        public ProcessBody init(Transcript out, ProcessBody snapshot, int scale) {
            int rounds = scale > 0 ? scale : 200;
            return sys -> {
                TracedSys t = new TracedSys(sys, out);
                t.fork("churn", c -> {
                    for (int i = 0; i < rounds; i++) {
                        long pages = 1 + i % 8;
                        long buf = c.mmap(0, pages * 4096, "rw");
                        c.store64(buf + (pages - 1) * 4096, i);
                        c.mprotect(buf, pages * 4096, "r");
                        if (c.load64(buf + (pages - 1) * 4096) != i) {
                            throw new IllegalStateException("round " + i);
                        }
                        c.munmap(buf, pages * 4096);
                    }
                    out.note("  [pid " + c.getpid() + "] churn: " + rounds + " rounds of mmap/store/mprotect/load/munmap done");
                    c.exit(0);
                });
                t.yieldNow();
                snapshot.run(sys);
                reapAll(t);
                t.exit(0);
            };
        }
    }

    /** {@code ls -R; cat} over {@code dir}: every file's size, directories recursed, links not followed. */
    static void walk(Sys sys, String dir, StringBuilder sizes) {
        for (String entry : sys.list(dir)) {
            String path = dir + "/" + entry;
            switch (sys.stat(path).kind()) {
                case DIRECTORY -> walk(sys, path, sizes);
                case FILE -> sizes.append(String.format("%-32s %5d bytes%n", path, sys.read(path).length()));
                case LINK -> { }
            }
        }
    }

    static final class ProcfsWalk implements Workload {
        @Override
        public String name() {
            return "procfs-walk";
        }

        @Override
        public String description() {
            return "fork --scale sleepers (default 5), read every file under /proc, as `ls -R /proc; cat` would, then kill them";
        }

        @Override
        public ProcessBody init(Transcript out, ProcessBody snapshot, int scale) {
            int count = scale > 0 ? scale : 5;
            return sys -> {
                TracedSys t = new TracedSys(sys, out);
                java.util.List<Integer> sleepers = new java.util.ArrayList<>();
                for (int i = 0; i < count; i++) {
                    sleepers.add(t.fork("sleeper" + i, c -> {
                        c.exec(Program.of("sleeper", s -> {
                            for (int y = 0; y < 3; y++) {
                                s.yieldNow();
                            }
                            s.pause(); // asleep until killed
                        }, "sleeper", "--rounds", "3"));
                    }));
                }
                for (int i = 0; i < 4 * count; i++) {
                    t.yieldNow();
                }
                StringBuilder sizes = new StringBuilder();
                walk(sys, "/proc", sizes);
                out.section("every file under /proc", sizes.toString());
                snapshot.run(sys);
                for (int pid : sleepers) {
                    t.kill(pid);
                }
                reapAll(t);
                t.exit(0);
            };
        }
    }

}
