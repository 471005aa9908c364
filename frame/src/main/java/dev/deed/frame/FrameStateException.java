package dev.deed.frame;

/** A request the frame's state forbids, e.g. an untracked handle over allocatable RAM, or a reference-count overflow. */
public final class FrameStateException extends FrameException {
    private static final long serialVersionUID = 1L;

    FrameStateException(String message) {
        super(message);
    }
}
