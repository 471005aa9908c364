package dev.deed.frame;

/** A rejected frame operation. Whatever was rejected changed nothing. */
public abstract sealed class FrameException extends RuntimeException
        permits BadFreeException, OutOfFramesException, RevokedHandleException, FrameStateException {
    private static final long serialVersionUID = 1L;

    FrameException(String message) {
        super(message);
    }
}
