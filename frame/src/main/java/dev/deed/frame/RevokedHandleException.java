package dev.deed.frame;

/** Use of a handle after it was closed (a use-after-free caught at the handle). */
public final class RevokedHandleException extends FrameException {
    private static final long serialVersionUID = 1L;

    RevokedHandleException(String what) {
        super(what + " was closed: the handle is revoked and every use of it is refused");
    }
}
