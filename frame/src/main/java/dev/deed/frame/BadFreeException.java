package dev.deed.frame;

/** A free of a frame that is not allocated: never allocated, reserved, already free, or outside RAM (B3). */
public final class BadFreeException extends FrameException {
    private static final long serialVersionUID = 1L;
    private final long addr;

    BadFreeException(PhysAddr addr, String state) {
        super("bad free of frame " + addr + ": it is " + state + ", not allocated; nothing was changed");
        this.addr = addr.value();
    }

    public PhysAddr addr() {
        return PhysAddr.of(addr);
    }
}
