package dev.deed.frame;

/** No free unit large enough: a recoverable condition; the allocator is unchanged. */
public final class OutOfFramesException extends FrameException {
    private static final long serialVersionUID = 1L;

    OutOfFramesException(String message) {
        super(message);
    }
}
