package dev.deed.procfs;

/** A path /proc does not have, or has as the other kind (file vs directory). Like ENOENT / ENOTDIR / EISDIR. */
public final class ProcfsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind { NO_SUCH_FILE, NOT_A_DIRECTORY, IS_A_DIRECTORY }

    private final Kind kind;

    ProcfsException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
