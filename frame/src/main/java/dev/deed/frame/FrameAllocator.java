package dev.deed.frame;

import dev.deed.frame.mem.PhysMemory;
import dev.deed.frame.mem.RawFrames;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The buddy frame allocator: the only source of tracked frames. Units up to order
 * {@link #MAX_ORDER} (1 GiB), O(1) buddy lookup through per-frame metadata, a per-CPU magazine in
 * front of order 0, reserved ranges marked at boot. Every operation is bounded; every rejected
 * operation throws a {@link FrameException} subtype and changes nothing.
 */
public final class FrameAllocator {
    /** Largest unit order: 2^18 frames = 1 GiB. */
    public static final int MAX_ORDER = FrameTable.MAX_ORDER;
    /** Largest contiguous request, in frames. */
    public static final long MAX_CONTIGUOUS = 1L << MAX_ORDER;

    private static final Usage[] USAGES = Usage.values();

    private final Machine machine;
    private final PhysMemory memory;
    private final FrameTable table;
    /** [cpu][order]: per-CPU caches of free units of orders 0…MAX_CACHED_ORDER. */
    private final Magazine[][] magazines;
    private final long[] usedBy = new long[USAGES.length];
    private final long reservedFrames;
    private final FaultPlan faults = new FaultPlan();
    private final java.util.Map<Class<?>, Object> shared = new java.util.HashMap<>();
    private int currentCpu;
    private long freeFrames;
    /** The run the allocator has just allocated and is about to mint a handle for; -1 when none. */
    private long mintPfn = -1;
    private long mintFrames;

    private FrameAllocator(Machine machine) {
        this.machine = machine;
        this.memory = new PhysMemory(machine);
        this.table = new FrameTable(machine.ramBase().pfn(), (int) machine.frames());
        this.magazines = new Magazine[machine.cpus()][Magazine.MAX_CACHED_ORDER + 1];
        for (Magazine[] cpu : magazines) {
            for (int k = 0; k < cpu.length; k++) {
                cpu[k] = new Magazine(k);
            }
        }
        long reserved = 0;
        int at = 0;
        for (MemRegion r : machine.reserved()) {
            int from = index(r.start().pfn());
            int to = index(r.end() >>> PhysAddr.PAGE_SHIFT);
            table.carve(at, from, FrameTable.FREE);
            table.carve(from, to, FrameTable.RESERVED);
            reserved += to - from;
            at = to;
        }
        table.carve(at, table.frames, FrameTable.FREE);
        this.reservedFrames = reserved;
        this.freeFrames = table.frames - reserved;
    }

    /** Boots an allocator over {@code machine}'s RAM with its reserved ranges marked. O(units), not O(frames). */
    public static FrameAllocator boot(Machine machine) {
        return new FrameAllocator(machine);
    }

    public Machine machine() {
        return machine;
    }

    /** Raw physical memory; usable only by modules that {@code dev.deed.frame.mem} is exported to. */
    @SuppressWarnings("exports")
    public PhysMemory memory() {
        return memory;
    }

    /** Raw frame references, for page tables; usable only by modules that {@code dev.deed.frame.mem} is exported to. */
    @SuppressWarnings("exports")
    public RawFrames raw() {
        return new RawFramesImpl(this);
    }

    /** This machine's fault plan: which allocations fail on purpose. Consulted by every allocation. */
    public FaultPlan faults() {
        return faults;
    }

    /**
     * One frame, unique, with its previous contents.
     *
     * @throws OutOfFramesException if no frame is free or the fault plan fails this allocation (nothing is changed)
     */
    public Frame<Tracked> alloc(Usage usage) throws OutOfFramesException {
        faults.check(siteOf(usage));
        Magazine magazine = magazines[cpu()][0];
        if (magazine.isEmpty()) {
            refill(magazine);
        }
        int index = magazine.pop();
        table.setMeta(index, FrameTable.allocated(0, usage.ordinal(), 1));
        freeFrames--;
        usedBy[usage.ordinal()]++;
        return Frame.fromUnused(this, pendingMint(PhysAddr.ofPfn(table.basePfn + index), 1));
    }

    /** One frame, unique, zero-filled. As {@link #alloc}, it may fail with nothing changed. */
    public Frame<Tracked> allocZeroed(Usage usage) throws OutOfFramesException {
        Frame<Tracked> frame = alloc(usage);
        memory.zero(frame.addr().value(), PhysAddr.PAGE_SIZE);
        return frame;
    }

    /** {@code frames} contiguous frames aligned to their own size rounded up to a power of two. */
    public Segment<Tracked> allocContiguous(Usage usage, long frames) throws OutOfFramesException {
        return allocContiguous(usage, frames, PhysAddr.PAGE_SIZE, false);
    }

    /**
     * {@code frames} physically contiguous frames starting at a multiple of {@code alignment} bytes
     * (a power of two from 4 KiB to 1 GiB), optionally zero-filled.
     *
     * @throws IllegalArgumentException if {@code frames} is not in [1, {@link #MAX_CONTIGUOUS}] or the alignment is bad
     * @throws OutOfFramesException     if no free unit is large enough, or the fault plan fails this
     *                                  allocation (nothing is changed)
     */
    public Segment<Tracked> allocContiguous(Usage usage, long frames, long alignment, boolean zeroed)
            throws OutOfFramesException {
        if (frames < 1 || frames > MAX_CONTIGUOUS) {
            throw new IllegalArgumentException("contiguous allocation of " + frames + " frames: the count must be in [1, "
                    + MAX_CONTIGUOUS + "]");
        }
        if (alignment < PhysAddr.PAGE_SIZE || Long.bitCount(alignment) != 1 || alignment > MAX_CONTIGUOUS << PhysAddr.PAGE_SHIFT) {
            throw new IllegalArgumentException("alignment " + alignment + " must be a power of two from 4096 to 1 GiB");
        }
        int order = Math.max(ceilLog2(frames), Long.numberOfTrailingZeros(alignment) - PhysAddr.PAGE_SHIFT);
        faults.check(siteOf(usage));
        int head = takeCached(order);
        if (head < 0) {
            head = table.takeBlock(order);
        }
        if (head < 0) {
            drainMagazines();
            head = table.takeBlock(order);
        }
        if (head < 0) {
            throw new OutOfFramesException("out of memory: no free block of order " + order + " for " + frames
                    + " contiguous frames aligned to " + alignment + " bytes (" + freeFrames + " frames free)");
        }
        int at = head;
        for (long rest = frames; rest != 0; ) {
            int bit = 63 - Long.numberOfLeadingZeros(rest);
            table.setMeta(at, FrameTable.allocated(bit, usage.ordinal(), 1));
            at += 1 << bit;
            rest ^= 1L << bit;
        }
        int end = head + (1 << order);
        while (at < end) {
            int k = table.maxOrderAt(at, end);
            table.giveBlock(at, k);
            at += 1 << k;
        }
        freeFrames -= frames;
        usedBy[usage.ordinal()] += frames;
        PhysAddr start = PhysAddr.ofPfn(table.basePfn + head);
        if (zeroed) {
            memory.zero(start.value(), frames << PhysAddr.PAGE_SHIFT);
        }
        return Segment.fromUnused(this, pendingMint(start, frames), frames);
    }

    /**
     * An untracked handle to the page at {@code addr}: allowed for reserved RAM and for addresses
     * outside RAM (MMIO); refused for allocatable RAM, which only the allocator may hand out.
     */
    public Frame<Untracked> untracked(PhysAddr addr) {
        addr.requirePageAligned("untracked frame address");
        requireNotAllocatable(addr.pfn(), 1);
        return Frame.untracked(this, addr);
    }

    /** An untracked handle to {@code [start, start + size)}; the same rule as {@link #untracked(PhysAddr)} for every page. */
    public Segment<Untracked> untrackedRange(PhysAddr start, long size) {
        start.requirePageAligned("untracked range start");
        if (size <= 0 || size % PhysAddr.PAGE_SIZE != 0 || start.value() + size > PhysAddr.LIMIT) {
            throw new IllegalArgumentException("untracked range size " + size + " at " + start
                    + " must be a positive multiple of 4096 inside the physical address space");
        }
        long frames = size >>> PhysAddr.PAGE_SHIFT;
        requireNotAllocatable(start.pfn(), frames);
        return Segment.untracked(this, start, frames);
    }

    /** What the allocator knows about the frame at {@code addr}, which must be in RAM. */
    public FrameInfo info(PhysAddr addr) {
        long index = addr.pfn() - table.basePfn;
        if (!table.inRange(index)) {
            throw new InvalidAddressException("frame " + addr.alignDown(PhysAddr.PAGE_SIZE) + " is not in RAM ["
                    + machine.ramBase() + ", " + PhysAddr.hex(machine.ramEnd()) + ")");
        }
        int head = table.headOf((int) index);
        int m = table.meta(head);
        PhysAddr frame = addr.alignDown(PhysAddr.PAGE_SIZE);
        int order = FrameTable.order(m);
        return switch (FrameTable.state(m)) {
            case FrameTable.FREE -> new FrameInfo(frame, FrameState.UNUSED, 0, null, order);
            case FrameTable.RESERVED -> new FrameInfo(frame, FrameState.RESERVED, 0, null, order);
            case FrameTable.ALLOCATED -> {
                int refs = FrameTable.refsOf(m);
                yield new FrameInfo(frame, refs == 1 ? FrameState.UNIQUE : FrameState.IN_USE, refs,
                        USAGES[FrameTable.usageOf(m)], order);
            }
            default -> throw new IllegalStateException("frame table corrupt at " + frame);
        };
    }

    public AllocatorStats stats() {
        List<Integer> blocks = new ArrayList<>(MAX_ORDER + 1);
        for (int k = 0; k <= MAX_ORDER; k++) {
            blocks.add(table.freeBlocks(k));
        }
        Map<Usage, Long> byUsage = new EnumMap<>(Usage.class);
        for (Usage u : USAGES) {
            byUsage.put(u, usedBy[u.ordinal()]);
        }
        long cached = 0;
        for (Magazine[] cpu : magazines) {
            for (Magazine m : cpu) {
                cached += (long) m.count() << m.order();
            }
        }
        long used = table.frames - freeFrames - reservedFrames;
        return new AllocatorStats(table.frames, freeFrames, used, reservedFrames, cached, blocks, byUsage);
    }

    /**
     * Checks every structural invariant (unit tiling, free stacks, merged buddies, counters) in linear
     * time; returns the first violation or {@code null}. For tests and lifecycle properties.
     */
    public @Nullable String verify() {
        String structural = table.verify();
        if (structural != null) {
            return structural;
        }
        for (Magazine[] cpu : magazines) {
            for (Magazine magazine : cpu) {
                for (int i = 0; i < magazine.count(); i++) {
                    int index = magazine.get(i);
                    if (table.meta(index) != FrameTable.pack(FrameTable.FREE, magazine.order(), FrameTable.CACHED)) {
                        return "the order-" + magazine.order() + " cache holds frame " + index + " whose meta is 0x"
                                + Integer.toHexString(table.meta(index));
                    }
                }
            }
        }
        long free = 0;
        long reserved = 0;
        long[] used = new long[USAGES.length];
        int at = 0;
        while (at < table.frames) {
            int m = table.meta(at);
            long size = 1L << FrameTable.order(m);
            switch (FrameTable.state(m)) {
                case FrameTable.FREE -> free += size;
                case FrameTable.RESERVED -> reserved += size;
                default -> used[FrameTable.usageOf(m)] += size;
            }
            at += (int) size;
        }
        if (free != freeFrames || reserved != reservedFrames) {
            return "counters say " + freeFrames + " free and " + reservedFrames + " reserved; the table holds "
                    + free + " free and " + reserved + " reserved";
        }
        for (Usage u : USAGES) {
            if (used[u.ordinal()] != usedBy[u.ordinal()]) {
                return "counters say " + usedBy[u.ordinal()] + " frames used for " + u + "; the table holds " + used[u.ordinal()];
            }
        }
        return null;
    }

    // ---- package-private: the handles call these ----

    void shareUnit(long pfn, int order) {
        int index = requireAllocatedUnit(pfn, order, "share");
        int m = table.meta(index);
        if (FrameTable.refsOf(m) == FrameTable.MAX_REFS) {
            throw new FrameStateException("cannot share frame " + PhysAddr.ofPfn(pfn) + ": it already has the maximum of "
                    + FrameTable.MAX_REFS + " references");
        }
        table.setMeta(index, m + 1);
    }

    /** Whether frame {@code pfn} is allocated ({@link #info}'s UNIQUE or IN_USE), without building a FrameInfo. */
    boolean isAllocated(long pfn) {
        long index = pfn - table.basePfn;
        return table.inRange(index) && FrameTable.state(table.meta(table.headOf((int) index))) == FrameTable.ALLOCATED;
    }

    /** References on the frame at {@code pfn}: 0 unless it heads an allocated unit (or it is not RAM). */
    int referencesOf(long pfn) {
        long index = pfn - table.basePfn;
        if (!table.inRange(index)) {
            return 0;
        }
        int m = table.meta((int) index);
        return FrameTable.state(m) == FrameTable.ALLOCATED ? FrameTable.refsOf(m) : 0;
    }

    void releaseUnit(long pfn, int order) {
        int index = requireAllocatedUnit(pfn, order, "free");
        dropReference(index);
    }

    void shareRun(long startPfn, long frames) {
        requireAllocatedRun(startPfn, frames, "share");
        for (long rest = frames, pfn = startPfn; rest != 0; ) {
            int bit = 63 - Long.numberOfLeadingZeros(rest);
            int index = (int) (pfn - table.basePfn);
            if (FrameTable.refsOf(table.meta(index)) == FrameTable.MAX_REFS) {
                throw new FrameStateException("cannot share frame " + PhysAddr.ofPfn(pfn)
                        + ": it already has the maximum of " + FrameTable.MAX_REFS + " references");
            }
            pfn += 1L << bit;
            rest ^= 1L << bit;
        }
        for (long rest = frames, pfn = startPfn; rest != 0; ) {
            int bit = 63 - Long.numberOfLeadingZeros(rest);
            int index = (int) (pfn - table.basePfn);
            table.setMeta(index, table.meta(index) + 1);
            pfn += 1L << bit;
            rest ^= 1L << bit;
        }
    }

    void releaseRun(long startPfn, long frames) {
        requireAllocatedRun(startPfn, frames, "free");
        for (long rest = frames, pfn = startPfn; rest != 0; ) {
            int bit = 63 - Long.numberOfLeadingZeros(rest);
            dropReference((int) (pfn - table.basePfn));
            pfn += 1L << bit;
            rest ^= 1L << bit;
        }
    }

    long read(long pa, int width) {
        return switch (width) {
            case 1 -> memory.readU8(pa);
            case 8 -> memory.readU64(pa);
            default -> throw new IllegalArgumentException("width " + width);
        };
    }

    void write(long pa, long value, int width) {
        switch (width) {
            case 1 -> memory.writeU8(pa, (int) value);
            case 8 -> memory.writeU64(pa, value);
            default -> throw new IllegalArgumentException("width " + width);
        }
    }

    // ---- internals ----

    /**
     * Checks that a run of {@code frames} at {@code startPfn} is still allocated as the units it was
     * allocated as (its size's binary decomposition, largest first): O(log frames), nothing changed.
     */
    private void requireAllocatedRun(long startPfn, long frames, String verb) {
        for (long rest = frames, pfn = startPfn; rest != 0; ) {
            int bit = 63 - Long.numberOfLeadingZeros(rest);
            requireAllocatedUnit(pfn, bit, verb);
            pfn += 1L << bit;
            rest ^= 1L << bit;
        }
    }

    /** The index of the allocated unit of {@code order} headed at {@code pfn}, or a BadFreeException naming its state. */
    private int requireAllocatedUnit(long pfn, int order, String verb) {
        long index = pfn - table.basePfn;
        if (!table.inRange(index)) {
            throw new BadFreeException(PhysAddr.ofPfn(pfn), "outside RAM [" + machine.ramBase() + ", "
                    + PhysAddr.hex(machine.ramEnd()) + ")");
        }
        int m = table.meta((int) index);
        if (FrameTable.state(m) != FrameTable.ALLOCATED || FrameTable.order(m) != order) {
            PhysAddr addr = PhysAddr.ofPfn(pfn);
            String state = info(addr).toString();
            if (FrameTable.state(m) == FrameTable.ALLOCATED || FrameTable.state(m) == FrameTable.TAIL) {
                state += ", and not the head of an allocated unit of " + (1L << order) + " frames";
            }
            if (verb.equals("free")) {
                throw new BadFreeException(addr, state);
            }
            throw new FrameStateException("cannot " + verb + " frame " + addr + ": it is " + state);
        }
        return (int) index;
    }

    private void dropReference(int index) {
        int m = table.meta(index);
        if (FrameTable.refsOf(m) > 1) {
            table.setMeta(index, m - 1);
            return;
        }
        int order = FrameTable.order(m);
        long frames = 1L << order;
        usedBy[FrameTable.usageOf(m)] -= frames;
        freeFrames += frames;
        if (order > Magazine.MAX_CACHED_ORDER) {
            table.giveBlock(index, order);
            return;
        }
        Magazine magazine = magazines[cpu()][order];
        if (magazine.isFull()) {
            drain(magazine, (magazine.capacity() + 1) / 2);
        }
        table.setMeta(index, FrameTable.pack(FrameTable.FREE, order, FrameTable.CACHED));
        magazine.push(index);
    }

    /** A cached free unit of exactly {@code order}, taken out of the cache (meta cleared), or -1. */
    private int takeCached(int order) {
        if (order > Magazine.MAX_CACHED_ORDER) {
            return -1;
        }
        Magazine magazine = magazines[cpu()][order];
        if (magazine.isEmpty()) {
            return -1;
        }
        int index = magazine.pop();
        table.setMeta(index, 0);
        return index;
    }

    private void refill(Magazine magazine) {
        for (int i = 0; i < magazine.capacity() / 2; i++) {
            int index = table.takeBlock(0);
            if (index < 0) {
                break;
            }
            table.setMeta(index, FrameTable.pack(FrameTable.FREE, 0, FrameTable.CACHED));
            magazine.push(index);
        }
        if (magazine.isEmpty()) {
            drainMagazines();
            int index = table.takeBlock(0);
            if (index < 0) {
                throw new OutOfFramesException("out of memory: no free frame left (" + freeFrames + " free, all of "
                        + table.frames + " frames are used or reserved)");
            }
            table.setMeta(index, FrameTable.pack(FrameTable.FREE, 0, FrameTable.CACHED));
            magazine.push(index);
        }
    }

    /**
     * Returns every frame cached in the per-CPU magazines to the buddy lists (merging them), as
     * Linux's {@code drain_all_pages}. Done automatically before an allocation would fail.
     */
    public void drainCpuCaches() {
        drainMagazines();
    }

    private void drainMagazines() {
        for (Magazine[] cpu : magazines) {
            for (Magazine m : cpu) {
                drain(m, m.count());
            }
        }
    }

    private void drain(Magazine magazine, int count) {
        for (int i = 0; i < count && !magazine.isEmpty(); i++) {
            table.giveBlock(magazine.pop(), magazine.order());
        }
    }

    /**
     * The planted B3's wrong step (Asterinas #1760: {@code Page::from_unused(0x1000)}, then a drop that
     * "returned" it): runs only while B3 is planted. The mint is refused ({@link #consumeMint}), so the
     * forged handle never exists and the allocator is unchanged.
     */
    public void plantedForgedDrop() {
        faults.requirePlanted(PlantedBug.B3);
        Frame.fromUnused(this, PhysAddr.of(0x1000)).close();
    }

    /** Marks {@code [start, +frames)} as the run a handle is about to be minted for ({@link #consumeMint}). */
    private PhysAddr pendingMint(PhysAddr start, long frames) {
        mintPfn = start.pfn();
        mintFrames = frames;
        return start;
    }

    /**
     * The minting backstop (B3): a tracked handle may be minted only for the run this allocator has
     * just allocated — unique, one reference each — and only once. Anything else (a forged address,
     * an unused, reserved or shared frame) is refused, changing nothing.
     */
    void consumeMint(PhysAddr start, long frames) {
        long pfn = start.pfn();
        if (pfn != mintPfn || frames != mintFrames) {
            String state;
            try {
                state = info(start).toString();
            } catch (InvalidAddressException outside) {
                state = "outside RAM";
            }
            throw new FrameStateException("cannot mint a tracked handle for " + frames + " frame(s) at " + start
                    + ": the allocator did not just hand them out (the frame is " + state + "); only the allocator mints"
                    + " tracked handles, for frames it moved from unused to unique; nothing was changed");
        }
        mintPfn = -1;
    }

    private void requireNotAllocatable(long startPfn, long frames) {
        long from = Math.max(startPfn, table.basePfn);
        long to = Math.min(startPfn + frames, table.basePfn + table.frames);
        long pfn = from;
        while (pfn < to) {
            int head = table.headOf((int) (pfn - table.basePfn));
            int m = table.meta(head);
            if (FrameTable.state(m) != FrameTable.RESERVED) {
                throw new FrameStateException("no untracked handle for " + PhysAddr.ofPfn(pfn) + ": it is allocatable RAM ("
                        + info(PhysAddr.ofPfn(pfn)) + "); untracked handles name only reserved ranges and memory outside RAM");
            }
            pfn = table.basePfn + head + (1L << FrameTable.order(m));
        }
    }

    private static FaultSite siteOf(Usage usage) {
        return usage == Usage.PAGE_TABLE ? FaultSite.PAGE_TABLE : FaultSite.FRAME;
    }

    private int index(long pfn) {
        return (int) (pfn - table.basePfn);
    }

    /** The CPU executing now: its magazines serve allocations and take frees. */
    private int cpu() {
        return currentCpu;
    }

    /** The CPU executing now (as the scheduler last said with {@link #runOn}). */
    public int currentCpu() {
        return currentCpu;
    }

    /** The memory layout of the machine's architecture (its arch module's; looked up once per machine). */
    public dev.deed.frame.spi.MemoryLayout layout() {
        return shared(dev.deed.frame.spi.MemoryLayout.class, f -> MemoryLayouts.forArch(f.machine().arch()));
    }

    /** The machine's observation point (one per machine). */
    public Probe probe() {
        return shared(Probe.class, Probe::new);
    }

    /** What {@link #frameMap} writes for a free frame, a reserved one, and (plus its ordinal) a used one of each usage. */
    public static final byte MAP_FREE = 0;
    public static final byte MAP_RESERVED = 1;
    public static final byte MAP_USED = 2;

    /**
     * Every RAM frame's state in one pass, for observers: {@code codes[i]} is {@link #MAP_FREE},
     * {@link #MAP_RESERVED} or {@link #MAP_USED} plus the usage's ordinal, and {@code refs[i]} its
     * reference count, for frame {@code i} from the RAM base. Both arrays must hold every frame.
     */
    public void frameMap(byte[] codes, int[] refs) {
        if (codes.length < table.frames || refs.length < table.frames) {
            throw new IllegalArgumentException("frameMap needs room for " + table.frames + " frames, got "
                    + codes.length + " codes and " + refs.length + " counts");
        }
        for (int i = 0; i < table.frames; i++) {
            int m = table.meta(table.headOf(i));
            switch (FrameTable.state(m)) {
                case FrameTable.ALLOCATED -> {
                    codes[i] = (byte) (MAP_USED + FrameTable.usageOf(m));
                    refs[i] = FrameTable.refsOf(m);
                }
                case FrameTable.RESERVED -> {
                    codes[i] = MAP_RESERVED;
                    refs[i] = 0;
                }
                default -> {
                    codes[i] = MAP_FREE;
                    refs[i] = 0;
                }
            }
        }
    }

    /**
     * Says which CPU executes from now on (the scheduler calls this as it hands the machine from one
     * CPU to another), so allocations and frees use that CPU's magazines.
     */
    public void runOn(int cpu) {
        if (cpu < 0 || cpu >= machine.cpus()) {
            throw new IllegalArgumentException("CPU " + cpu + " is not one of the machine's " + machine.cpus());
        }
        currentCpu = cpu;
    }

    /**
     * The machine-wide object of {@code type}, made by {@code create} the first time it is asked for:
     * per-machine state of the layers above (the CPUs' MMUs and TLBs, say), so each machine has
     * exactly one and every layer finds the same one.
     */
    public <T extends Object> T shared(Class<T> type, java.util.function.Function<FrameAllocator, T> create) {
        Object existing = shared.get(type);
        if (existing != null) {
            return type.cast(existing);
        }
        T made = create.apply(this);
        shared.put(type, made);
        return made;
    }

    private static int ceilLog2(long n) {
        return n <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(n - 1);
    }
}
