package dev.deed.kernel.workload;

import dev.deed.process.ProcessBody;
import dev.deed.process.Program;
import dev.deed.process.Sys;
import dev.deed.process.SyscallException;
import dev.deed.process.WaitResult;
import java.util.List;

/** The syscall facade with every call written to a transcript, result included (errors too). */
public final class TracedSys {
    private final Sys sys;
    private final Transcript out;

    public TracedSys(Sys sys, Transcript out) {
        this.sys = sys;
        this.out = out;
    }

    public Sys raw() {
        return sys;
    }

    public Transcript transcript() {
        return out;
    }

    public int getpid() {
        return sys.getpid();
    }

    public int fork(String label, ProcessBody child) {
        return trace("fork() → " + label, () -> sys.fork(child));
    }

    public void exec(Program program) {
        out.call(sys.getpid(), sys.cpu(), "execve(\"" + program.name() + "\", " + program.argv() + ")", "… (does not return)");
        sys.exec(program);
    }

    public void exit(int status) {
        out.call(sys.getpid(), sys.cpu(), "exit(" + status + ")", "…");
        sys.exit(status);
    }

    public WaitResult waitpid(int pid, boolean noHang) {
        return trace("waitpid(" + pid + (noHang ? ", WNOHANG)" : ")"), () -> sys.waitpid(pid, noHang),
                w -> w.pid() == 0 ? "0 (no child has exited)" : w.pid() + " (exit status " + w.status() + ")");
    }

    public int spawnThread(ProcessBody body) {
        return trace("spawnThread()", () -> sys.spawnThread(body));
    }

    public void exitThread() {
        out.call(sys.getpid(), sys.cpu(), "exitThread() [tid " + sys.gettid() + "]", "…");
        sys.exitThread();
    }

    public long mmap(long length, String prot) {
        return trace("mmap(NULL, " + length + ", " + prot + ")", () -> sys.mmap(0, length, prot), a -> "0x" + Long.toHexString(a));
    }

    public void munmap(long address, long length) {
        trace(String.format("munmap(0x%x, %d)", address, length), () -> {
            sys.munmap(address, length);
            return 0;
        });
    }

    public void mprotect(long address, long length, String prot) {
        trace(String.format("mprotect(0x%x, %d, %s)", address, length, prot), () -> {
            sys.mprotect(address, length, prot);
            return 0;
        });
    }

    public void store64(long va, long value) {
        trace(String.format("store64(0x%x, %d)", va, value), () -> {
            sys.store64(va, value);
            return 0;
        });
    }

    public long load64(long va) {
        return trace(String.format("load64(0x%x)", va), () -> sys.load64(va));
    }

    public void kill(int pid) {
        trace("kill(" + pid + ", SIGKILL)", () -> {
            sys.kill(pid);
            return 0;
        });
    }

    public String read(String path) {
        String text = trace("read(\"" + path + "\")", () -> sys.read(path), s -> s.length() + " bytes");
        return text;
    }

    public List<String> list(String path) {
        return trace("readdir(\"" + path + "\")", () -> sys.list(path), l -> l.size() + " entries");
    }

    public void yieldNow() {
        sys.yieldNow();
    }

    private interface Call<T> {
        T run();
    }

    private <T> T trace(String call, Call<T> body) {
        return trace(call, body, String::valueOf);
    }

    private <T> T trace(String call, Call<T> body, java.util.function.Function<T, String> show) {
        int cpu = sys.cpu();
        try {
            T result = body.run();
            out.call(sys.getpid(), cpu, call, show.apply(result));
            return result;
        } catch (SyscallException e) {
            out.call(sys.getpid(), cpu, call, "-1 " + e.getMessage());
            throw e;
        }
    }
}
