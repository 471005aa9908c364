package dev.deed.process;

/** The Linux error numbers Deed's syscalls report. */
public enum Errno {
    EPERM(1), ENOENT(2), ESRCH(3), ENOEXEC(8), ECHILD(10), EAGAIN(11), ENOMEM(12), EFAULT(14), ENOTDIR(20), EISDIR(21),
    EINVAL(22), ENAMETOOLONG(36);

    private final int number;

    Errno(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }
}
