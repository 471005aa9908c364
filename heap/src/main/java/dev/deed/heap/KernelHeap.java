package dev.deed.heap;

import dev.deed.frame.FaultPlan;
import dev.deed.frame.FaultSite;
import dev.deed.frame.FrameAllocator;
import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.PlantedBug;
import dev.deed.frame.mem.PhysMemory;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The kernel heap: {@link #kmalloc} and {@link #kzalloc} hand out {@link Block} handles; closing a
 * handle frees its block. Requests up to {@link #SMALL_MAX} bytes go to the small heaps (size
 * classes 16 … 2048), larger ones up to {@link #MAIN_MAX} to the main heaps.
 */
public final class KernelHeap {
    public static final int SMALL_MIN = 16;
    public static final int SMALL_MAX = 2048;
    public static final long MAIN_MAX = PhysAddr.PAGE_SIZE << MainHeap.MAX_ORDER;
    /** Empty slabs a size class keeps (besides its active slab) before giving frames back. */
    public static final int KEEP_EMPTY = 2;
    /** Bytes of freed main blocks the main heaps keep (poisoned) for reuse before giving frames back. */
    public static final long MAIN_CACHE_BYTES = 2L << 20;

    private final HeapContext context;
    private final SizeClass[] classes;
    private final MainHeap main;
    private long steps;
    private long requestedBytes;
    private long liveBytes;

    private KernelHeap(FrameAllocator frames, HeapConfig config) {
        this.context = new HeapContext(frames, config);
        int n = Integer.numberOfTrailingZeros(SMALL_MAX) - Integer.numberOfTrailingZeros(SMALL_MIN) + 1;
        this.classes = new SizeClass[n];
        for (int i = 0; i < n; i++) {
            classes[i] = new SizeClass(context, SMALL_MIN << i);
        }
        this.main = new MainHeap(context);
    }

    public static KernelHeap create(FrameAllocator frames, HeapConfig config) {
        return new KernelHeap(frames, config);
    }

    public HeapConfig config() {
        return context.config;
    }

    /**
     * A block of at least {@code size} bytes (1 … {@link #MAIN_MAX}); its contents are whatever was
     * there. Out of memory (the frame allocator's, or the fault plan's {@code heap} site) is declared,
     * so the Resource Leak Checker checks what a caller holds on that path.
     *
     * @throws OutOfFramesException no memory for the block (nothing changed)
     */
    public Block kmalloc(long size) throws OutOfFramesException {
        if (size < 1 || size > MAIN_MAX) {
            throw new IllegalArgumentException("kmalloc(" + size + "): the size must be in [1, " + MAIN_MAX + "] bytes");
        }
        faults().check(FaultSite.HEAP);
        steps++;
        Block block = size <= SMALL_MAX ? classFor(size).allocate(this, size) : main.allocate(this, size);
        requestedBytes += size;
        liveBytes += block.size();
        return block;
    }

    /**
     * A zero-filled block of at least {@code size} bytes that can own child blocks: a kernel object's
     * struct. See {@link Container}.
     */
    public Container kzallocContainer(long size) throws OutOfFramesException {
        return new Container(kzalloc(size));
    }

    /** As {@link #kmalloc}, zero-filled. */
    public Block kzalloc(long size) throws OutOfFramesException {
        Block block = kmalloc(size);
        context.memory.zero(block.rawAddress(), block.size());
        return block;
    }

    /** Gives every empty slab and every cached main block back to the frame allocator. */
    public void shrink() {
        for (SizeClass c : classes) {
            c.shrink();
        }
        main.shrink();
    }

    public HeapStats stats() {
        List<SlabClassStats> perClass = new ArrayList<>(classes.length);
        long live = main.liveBlocks;
        long held = main.liveFrames + main.cachedFrames();
        for (SizeClass c : classes) {
            perClass.add(c.stats());
            live += c.active;
            held += c.slabs();
        }
        return new HeapStats(live, liveBytes, requestedBytes, held, main.cachedBlocks(), steps, perClass);
    }

    /**
     * Checks every structural invariant: slab lists and free stacks, live handles, intact poison in
     * every free block, the owner table. Linear in the heap's size; null if all hold.
     */
    public @Nullable String verify() {
        int slabs = 0;
        for (SizeClass c : classes) {
            String problem = c.verify();
            if (problem != null) {
                return problem;
            }
            slabs += c.slabs();
        }
        String problem = main.verify();
        if (problem != null) {
            return problem;
        }
        long registeredSlabs = context.registered(Slab.class);
        long registeredSpans = context.registered(Span.class);
        if (registeredSlabs != slabs || registeredSpans != main.liveBlocks + main.cachedBlocks()) {
            return "the owner table holds " + registeredSlabs + " slabs and " + registeredSpans + " main blocks; the heap has "
                    + slabs + " slabs and " + (main.liveBlocks + main.cachedBlocks()) + " main blocks";
        }
        return null;
    }

    /** The machine's fault plan (injected failures and planted bugs), as the frame allocator holds it. */
    public FaultPlan faults() {
        return context.frames.faults();
    }

    /**
     * The planted B1's wrong step ({@link PlantedBug#B1}): C's {@code kfree(ptr)} by raw address,
     * which Tilck's reaper called on the struct first. Runs only while B1 is planted in the machine's
     * fault plan; refused like any free (nothing freed) when the block still owns a live child.
     */
    public void plantedKfree(long address) {
        faults().requirePlanted(PlantedBug.B1);
        freeRaw(address);
    }

    // ---- package-private ----

    PhysMemory memory() {
        return context.memory;
    }

    /** Frees a block through its handle (children already checked by the handle). */
    void release(Block block) {
        steps++;
        requestedBytes -= block.requested();
        liveBytes -= block.size();
        block.revoke();
        if (block.home instanceof Slab slab) {
            slab.sizeClass.free(block, slab, steps);
        } else if (block.home instanceof Span span) {
            main.free(span, steps);
        }
    }

    /**
     * C's {@code kfree(ptr)}: the unchecked path, by raw address, with no handle — kept
     * package-private for the B1 regression and the planted B1 ({@link #plantedKfree}), which must
     * be able to attempt Tilck's old order. A pointer no heap owns, the inside of a block, a block
     * already free, or a block that still owns a live child is refused, naming the address (and
     * saying so when it is the poison pattern), and nothing changes.
     */
    void freeRaw(long address) {
        Object owner = context.ownerOf(address);
        if (owner instanceof Slab slab) {
            long offset = address - slab.base;
            if (offset % slab.objectSize != 0) {
                throw new BadHeapFreeException("kfree(0x" + Long.toHexString(address) + "): the address is inside the "
                        + slab.objectSize + "-byte block at 0x" + Long.toHexString(address - offset % slab.objectSize)
                        + ", not its start; nothing was freed");
            }
            Block live = slab.live[(int) (offset / slab.objectSize)];
            if (live == null) {
                throw doubleFree(address, slab.objectSize, slab.freedAt[(int) (offset / slab.objectSize)]);
            }
            live.requireNoLiveChildren();
            release(live);
        } else if (owner instanceof Span span) {
            Block live = span.live;
            if (live == null) {
                throw doubleFree(address, span.size(), span.freedAt);
            }
            live.requireNoLiveChildren();
            release(live);
        } else {
            throw new BadHeapFreeException("kfree(0x" + Long.toHexString(address) + "): no heap owns a block at this address"
                    + poisonHint(address) + "; nothing was freed");
        }
    }

    private SizeClass classFor(long size) {
        int index = size <= SMALL_MIN ? 0 : 64 - Long.numberOfLeadingZeros(size - 1) - Integer.numberOfTrailingZeros(SMALL_MIN);
        return classes[index];
    }

    private BadHeapFreeException doubleFree(long address, int size, long freedAt) {
        return new BadHeapFreeException("kfree(0x" + Long.toHexString(address) + "): double free — the " + size
                + "-byte block is already free (freed at step " + freedAt + "); nothing was changed");
    }

    private String poisonHint(long address) {
        long p32 = context.config.pattern() & 0xFFFF_FFFFL;
        if (address == context.config.poisonPointer() || address == (p32 << 32 | p32) || address == p32) {
            return " — it is the poison pattern 0x" + Long.toHexString(p32)
                    + ": the pointer was read from freed memory (a use after free)";
        }
        return "";
    }
}
