package dev.deed.process;

/** A refused syscall: the errno and what was wrong. Nothing was changed. */
public final class SyscallException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Errno errno;

    public SyscallException(Errno errno, String message) {
        super(errno + ": " + message);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }
}
