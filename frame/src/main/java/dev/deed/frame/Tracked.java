package dev.deed.frame;

/** Allocator-owned, reference-counted memory: the last handle's close returns it. Never instantiated. */
public final class Tracked implements Tracking {
    private Tracked() {
    }
}
