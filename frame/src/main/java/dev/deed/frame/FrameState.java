package dev.deed.frame;

/** The ownership state of one frame, as the contract names them. */
public enum FrameState {
    /** Free: in a buddy list or a per-CPU magazine. */
    UNUSED,
    /** Allocated with exactly one reference. */
    UNIQUE,
    /** Allocated and shared: two or more references. */
    IN_USE,
    /** Never handed out: firmware, kernel image, other reserved ranges. */
    RESERVED
}
