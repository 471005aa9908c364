package dev.deed.heap;

import dev.deed.frame.Segment;
import dev.deed.frame.Tracked;
import org.checkerframework.checker.nullness.qual.Nullable;

/** A main-heap block: a power-of-two run of frames, live (with its handle) or cached free (poisoned). */
final class Span {
    final Segment<Tracked> segment;
    final long base;
    final int order;
    long freedAt;
    boolean poisoned;
    @Nullable Block live;

    Span(Segment<Tracked> segment, int order) {
        this.segment = segment;
        this.base = segment.addr().value();
        this.order = order;
    }

    int size() {
        return (int) (dev.deed.frame.PhysAddr.PAGE_SIZE << order);
    }
}
