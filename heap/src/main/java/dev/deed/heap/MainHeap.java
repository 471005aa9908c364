package dev.deed.heap;

import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.Segment;
import dev.deed.frame.Tracked;
import dev.deed.frame.Usage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The main heaps: power-of-two, page-granular blocks from 4 KiB (order 0) to
 * {@link KernelHeap#MAIN_MAX} (order 10), each a contiguous frame segment. A freed block is
 * poisoned and kept for reuse (LIFO per order) while the freed blocks kept add up to at most
 * {@link KernelHeap#MAIN_CACHE_BYTES}; beyond that the oldest freed block of the largest cached order
 * goes back to the frame allocator.
 */
final class MainHeap {
    static final int MAX_ORDER = 10;

    private final HeapContext heap;
    /** Per order: freed blocks kept for reuse, oldest first. */
    private final List<ArrayDeque<Span>> cached = new ArrayList<>(MAX_ORDER + 1);
    long liveBlocks;
    long liveFrames;
    long cachedFrames;

    MainHeap(HeapContext heap) {
        this.heap = heap;
        for (int k = 0; k <= MAX_ORDER; k++) {
            cached.add(new ArrayDeque<>());
        }
    }

    Block allocate(KernelHeap owner, long requested) throws OutOfFramesException {
        long pages = (requested + PhysAddr.PAGE_SIZE - 1) >>> PhysAddr.PAGE_SHIFT;
        int order = pages <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(pages - 1);
        Span span = cached.get(order).peekLast();
        if (span != null) {
            if (span.poisoned) {
                heap.checkPoison(span.base, span.size(), span.freedAt);
            }
            cached.get(order).pollLast();
            cachedFrames -= 1L << order;
        } else {
            span = newSpan(order);
        }
        Block block = new Block(owner, span.base, span.size(), requested, span, order);
        span.live = block;
        liveBlocks++;
        liveFrames += 1L << order;
        return block;
    }

    void free(Span span, long step) {
        span.live = null;
        liveBlocks--;
        liveFrames -= 1L << span.order;
        span.poisoned = heap.config.poison().poisonsMain();
        if (span.poisoned) {
            heap.memory.fillPattern32(span.base, span.size(), heap.config.pattern());
        }
        span.freedAt = step;
        cached.get(span.order).addLast(span);
        cachedFrames += 1L << span.order;
        for (int k = MAX_ORDER; k >= 0 && cachedFrames << PhysAddr.PAGE_SHIFT > KernelHeap.MAIN_CACHE_BYTES; k--) {
            while (!cached.get(k).isEmpty() && cachedFrames << PhysAddr.PAGE_SHIFT > KernelHeap.MAIN_CACHE_BYTES) {
                release(cached.get(k).pollFirst());
            }
        }
    }

    void shrink() {
        for (ArrayDeque<Span> keep : cached) {
            while (!keep.isEmpty()) {
                release(keep.pollFirst());
            }
        }
    }

    int cachedBlocks() {
        int n = 0;
        for (ArrayDeque<Span> keep : cached) {
            n += keep.size();
        }
        return n;
    }

    long cachedFrames() {
        return cachedFrames;
    }

    @Nullable String verify() {
        long frames = 0;
        for (ArrayDeque<Span> keep : cached) {
            for (Span s : keep) {
                frames += 1L << s.order;
            }
        }
        if (frames != cachedFrames) {
            return "the main heaps count " + cachedFrames + " cached frames, their lists hold " + frames;
        }
        for (ArrayDeque<Span> keep : cached) {
            for (Span s : keep) {
                if (s.live != null) {
                    return "cached main block 0x" + Long.toHexString(s.base) + " has a live handle";
                }
                if (s.poisoned) {
                    long at = heap.memory.mismatchPattern32(s.base, s.size(), heap.config.pattern());
                    if (at >= 0) {
                        return "poison overwritten at 0x" + Long.toHexString(s.base + at) + " (block of size " + s.size()
                                + " freed at step " + s.freedAt + ")";
                    }
                }
            }
        }
        return null;
    }

    @SuppressWarnings("required.method.not.called") // the segment is owned by the span, which the heap's tables own; release closes it
    private Span newSpan(int order) throws OutOfFramesException {
        Segment<Tracked> segment = heap.frames.allocContiguous(Usage.HEAP, 1L << order);
        Span span = new Span(segment, order);
        heap.register(span.base, span);
        return span;
    }

    private void release(@Nullable Span span) {
        if (span != null) {
            cachedFrames -= 1L << span.order;
            heap.unregister(span.base);
            span.segment.close();
        }
    }
}
