package dev.deed.heap;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.mem.PhysMemory;
import java.util.HashMap;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What the small and main heaps share: the frame allocator, raw memory, the configuration, the
 * poison check, and the owner table (page address of each slab, base address of each main block),
 * which answers "which heap owns this address" for the unchecked free path.
 */
final class HeapContext {
    final FrameAllocator frames;
    final PhysMemory memory;
    final HeapConfig config;
    private final Map<Long, Object> owners = new HashMap<>();

    HeapContext(FrameAllocator frames, HeapConfig config) {
        this.frames = frames;
        this.memory = frames.memory();
        this.config = config;
    }

    void checkPoison(long address, int size, long freedAt) {
        long at = memory.mismatchPattern32(address, size, config.pattern());
        if (at >= 0) {
            throw overwritten(address + at, size, freedAt);
        }
    }

    private static PoisonOverwrittenException overwritten(long address, int size, long freedAt) {
        return new PoisonOverwrittenException("poison overwritten at 0x" + Long.toHexString(address) + " (block of size "
                + size + " freed at step " + freedAt + "): something wrote to it after it was freed");
    }

    void register(long base, Object slabOrSpan) {
        owners.put(base, slabOrSpan);
    }

    void unregister(long base) {
        owners.remove(base);
    }

    /** The slab whose page holds {@code address}, or the main block starting exactly there, or null. */
    @Nullable Object ownerOf(long address) {
        Object slab = owners.get(address & -PhysAddr.PAGE_SIZE);
        if (slab instanceof Slab) {
            return slab;
        }
        Object span = owners.get(address);
        return span instanceof Span ? span : null;
    }

    long registered(Class<?> kind) {
        return owners.values().stream().filter(kind::isInstance).count();
    }
}
