package dev.deed.paging;

import dev.deed.frame.Frame;
import dev.deed.frame.FrameAllocator;
import dev.deed.frame.FrameException;
import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.PlantedBug;
import dev.deed.frame.Segment;
import dev.deed.frame.Tracked;
import dev.deed.frame.Untracked;
import dev.deed.frame.Usage;
import dev.deed.frame.mem.PhysMemory;
import dev.deed.frame.mem.RawFrames;
import dev.deed.paging.spi.Entry;
import dev.deed.paging.spi.PagingFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * An address space: a tree of page-table nodes in simulated physical memory, in one
 * {@link PagingFormat}. {@code K} says whose it is: {@link KernelSpace} tables may also map untracked
 * memory ({@link #mapUntracked}); {@link UserSpace} tables map only tracked frames.
 *
 * <p>Every operation validates first and changes nothing when it refuses. {@link #unmap},
 * {@link #protect} and {@link #destroy} return a {@link PendingFlush} that must be flushed before
 * the frames and nodes they free are released.
 */
@InheritableMustCall("destroy")
public final class PageTable<K extends SpaceKind> {
    private final PagingFormat format;
    private final FrameAllocator frames;
    /** The machine's CPUs: whose TLBs this table's flushes reach. */
    private final Cpus cpus;
    private final PhysMemory memory;
    private final RawFrames raw;
    private final NodeScan scan;
    private final boolean kernel;
    private final int asid;
    private final long root;
    /** Valid entries per node, keyed by the node's frame number. */
    private final LongMap valid = new LongMap();
    /** Claims on ranges of a kernel table, asked before anything is unmapped, re-protected or destroyed. */
    private final List<RangeGuard> guards = new ArrayList<>();
    private boolean destroyed;
    /** The rights a tracked leaf was last found encodable with (see {@link #encodable}). */
    private @Nullable PageProperty encodableTracked;
    /** Nodes unlinked so far (see {@link #unlinks}). */
    private long unlinks;
    /** The cursor every operation of this table runs on, re-aimed at each call, its path kept (paging is not reentrant). */
    private @Nullable Cursor<K> engine;

    private PageTable(PagingFormat format, FrameAllocator frames, boolean kernel, int asid, long root) {
        this.format = format;
        this.frames = frames;
        this.cpus = Cpus.of(frames, format);
        this.memory = frames.memory();
        this.raw = frames.raw();
        this.scan = NodeScan.of(frames);
        this.kernel = kernel;
        this.asid = asid;
        this.root = root;
        valid.add(root >>> 12, 0);
    }

    /** This table's own cursor, re-aimed at {@code [va, va + size)}; its path is kept, so calls in one region re-read one level. */
    private Cursor<K> engine(long va, long size) {
        Cursor<K> e = engine;
        if (e == null) {
            e = new Cursor<>(this, va, size);
            engine = e;
            return e;
        }
        return e.reset(va, size);
    }

    /** A kernel address space (ASID 0), with an empty root node. */
    public static PageTable<KernelSpace> kernel(PagingFormat format, FrameAllocator frames) throws OutOfFramesException {
        return new PageTable<>(format, frames, true, 0, allocNode(frames));
    }

    /** A user address space tagged with {@code asid} (0 on formats without ASIDs), with an empty root node. */
    public static PageTable<UserSpace> user(PagingFormat format, FrameAllocator frames, int asid) throws OutOfFramesException {
        int max = format.hasAsids() ? 0xFFFF : 0;
        if (asid < 0 || asid > max) {
            throw new MappingException("ASID " + asid + " is outside [0, " + max + "] for " + format.name());
        }
        return new PageTable<>(format, frames, false, asid, allocNode(frames));
    }

    /**
     * Maps {@code va} (4 KiB) to {@code frame}, taking the handle's reference: the page table holds
     * it until the mapping is unmapped and flushed. The address, rights and frame are checked
     * before anything is allocated; one walk then refuses an overlap and creates the missing nodes,
     * unlinking them again if a node cannot be had or the slot is taken, so a refusal leaves the tree
     * as it was. A refused frame is never taken: it stays open, with the caller. Both refusals are declared, so
     * the Resource Leak Checker rejects a caller that would lose it (a frame allocated inline in the
     * call, say).
     *
     * @throws MappingException     bad address or rights, an overlap, or a frame that cannot be held
     * @throws OutOfFramesException no memory for a table node
     */
    public void map(VirtAddr va, @Owning Frame<Tracked> frame, PageProperty props) throws MappingException, OutOfFramesException {
        requireRange("map", va.value(), PhysAddr.PAGE_SIZE);
        engine(va.value(), PhysAddr.PAGE_SIZE).mapHere(frame, props);
    }

    /**
     * Maps {@code va} (4 KiB) to the tracked frame at {@code frame}, which another mapping already
     * holds, adding one reference for this one (copy-on-write sharing after fork). All or nothing:
     * everything is checked, a missing node that cannot be had leaves the tree as it was.
     *
     * @throws MappingException     bad address or rights, an overlap, or a frame that is not an allocated single frame
     * @throws OutOfFramesException no memory for a table node
     */
    public void mapShared(VirtAddr va, PhysAddr frame, PageProperty props) throws MappingException, OutOfFramesException {
        requireRange("map", va.value(), PhysAddr.PAGE_SIZE);
        encodable("map", props, true);
        dev.deed.frame.FrameInfo info;
        try {
            info = frames.info(frame);
        } catch (RuntimeException outside) {
            throw new MappingException("map at " + va + ": " + outside.getMessage());
        }
        if (info.state() != dev.deed.frame.FrameState.UNIQUE && info.state() != dev.deed.frame.FrameState.IN_USE
                || info.unitOrder() != 0 || !frame.isAligned(PhysAddr.PAGE_SIZE)) {
            throw new MappingException("map at " + va + ": frame " + frame + " is " + info + ", not an allocated single frame to share");
        }
        engine(va.value(), PhysAddr.PAGE_SIZE).mapShared(frame, props);
    }

    /**
     * Fork's copy-on-write share: {@code child} — empty, of this table's format and kind — gets a
     * copy of this tree in which every tracked leaf maps the same frame with one more reference,
     * read-only; then this table's writable leaves become read-only too, and the returned flush
     * drops their writable translations. One pass over this tree's nodes, not a walk per page.
     * Everything the child needs is taken before this table changes: a node that cannot be had
     * refuses the call with this table as it was, and the child holding what was copied so far
     * (its owner destroys it).
     *
     * @throws MappingException     {@code child} is not empty, or not of this format or kind
     * @throws OutOfFramesException no memory for a child node (this table unchanged)
     */
    public PendingFlush shareInto(PageTable<K> child) throws OutOfFramesException {
        requireLive();
        child.requireLive();
        if (child == this || child.format != format || child.kernel != kernel || child.count(child.root, 0) != 0) {
            throw new MappingException("share into " + child + ": it must be another, empty table of format " + format.name());
        }
        WritableLeaves writable = new WritableLeaves();
        copyShared(root, child, child.root, format.levels() - 1, 0, writable);
        PendingFlush pending = newFlush();
        for (int k = 0; k < writable.size; k++) { // nothing can fail from here on
            writePte(writable.tables[k], writable.indexes[k], format.writeProtect(writable.ptes[k]));
            pending.invalidate(writable.vas[k]);
        }
        return pending;
    }

    /**
     * Copies node {@code table}'s valid entries into the child's node {@code into}: tables
     * recursively, tracked leaves shared read-only; notes this table's writable leaves.
     */
    private void copyShared(long table, PageTable<K> child, long into, int level, long prefix, WritableLeaves writable)
            throws OutOfFramesException {
        int n = scanNode(table, level);
        int[] at = scan.indexes(level);
        long[] ptes = scan.values(level);
        int[] slots = new int[n];
        long[] entries = new long[n];
        int copied = 0;
        try {
            for (int k = 0; k < n; k++) {
                int i = at[k];
                long pte = ptes[k];
                long frame = format.trackedLeafFrame(pte, level);
                if (frame >= 0) {
                    raw.shareRaw(PhysAddr.of(frame));
                    long readOnly = format.writeProtect(pte);
                    slots[copied] = i;
                    entries[copied++] = readOnly;
                    if (readOnly != pte) {
                        writable.add(table, i, pte, canonical(prefix | (long) i << format.indexShift(level)));
                    }
                } else if (decode(pte, level) instanceof Entry.Table t) {
                    long node = allocNode(frames);
                    child.valid.add(node >>> 12, 0);
                    slots[copied] = i;
                    entries[copied++] = format.encodeTable(node);
                    copyShared(t.pa(), child, node, level - 1, canonical(prefix | (long) i << format.indexShift(level)), writable);
                }
            }
        } finally { // what was taken is in the child node, so that tearing the child down gives it back
            memory.writeWords(into, format.pteBytes(), format.entriesPerTable(), slots, entries, copied);
            child.count(into, copied);
        }
    }

    /** The slots of the writable leaves {@link #shareInto} makes read-only once the child is complete. */
    private static final class WritableLeaves {
        long[] tables = new long[16];
        int[] indexes = new int[16];
        long[] ptes = new long[16];
        long[] vas = new long[16];
        int size;

        void add(long table, int index, long pte, long va) {
            if (size == tables.length) {
                tables = java.util.Arrays.copyOf(tables, size * 2);
                indexes = java.util.Arrays.copyOf(indexes, size * 2);
                ptes = java.util.Arrays.copyOf(ptes, size * 2);
                vas = java.util.Arrays.copyOf(vas, size * 2);
            }
            tables[size] = table;
            indexes[size] = index;
            ptes[size] = pte;
            vas[size++] = va;
        }
    }

    /**
     * Replaces the 4 KiB leaf at {@code va} with one mapping {@code frame} (taking its reference),
     * in place — no node is added or removed: a copy-on-write break. The old frame's reference is
     * released by the returned flush, after every CPU has dropped the old translation. Refused,
     * changing nothing and leaving {@code frame} with the caller, if no 4 KiB leaf maps {@code va}.
     *
     * @throws MappingException no 4 KiB leaf at {@code va}, bad rights, or a frame that cannot be held
     */
    public PendingFlush replace(VirtAddr va, @Owning Frame<Tracked> frame, PageProperty props) throws MappingException {
        requireRange("replace", va.value(), PhysAddr.PAGE_SIZE);
        return engine(va.value(), PhysAddr.PAGE_SIZE).replace(frame, props);
    }

    /**
     * Maps {@code [va, va + size)} to fresh frames tagged {@code usage} (zero-filled if asked), all or
     * nothing: the missing table nodes are created first, then every frame is taken, then all are
     * mapped. A failure at any point gives back every frame and node it took, so the tree and the
     * allocator are exactly as before. Nothing was visible to a TLB in between: a refused call
     * changes nothing that any CPU could have seen.
     *
     * @throws MappingException     bad address, size or rights, or part of the range already mapped
     * @throws OutOfFramesException no memory for a node or a frame (nothing changed)
     */
    public void mapFresh(VirtAddr va, long size, PageProperty props, Usage usage, boolean zeroed) throws OutOfFramesException {
        requireRange("map", va.value(), size);
        engine(va.value(), size).mapFresh(size, props, usage, zeroed);
    }

    /**
     * Maps {@code [va, va + range.size())} to the untracked physical range, with the largest leaves
     * the alignment of both addresses allows. Kernel tables only: the type of {@code table} says so.
     * The mapping holds no reference; unmapping it never touches the memory. All or nothing: nodes
     * created before a node allocation fails are unlinked again.
     */
    public static void mapUntracked(PageTable<KernelSpace> table, VirtAddr va, Segment<Untracked> range, PageProperty props)
            throws OutOfFramesException {
        if (!table.kernel) { // reachable only through a raw type or an unchecked cast
            throw new MappingException("map-untracked at " + va + ": " + table + " is a user table; untracked memory"
                    + " is mapped only in kernel tables (B5); nothing was mapped");
        }
        if (range.isTracked()) { // an unchecked cast of an allocator's segment
            throw new MappingException("map-untracked at " + va + ": " + range + " is tracked memory the allocator owns;"
                    + " only untracked ranges (MMIO, firmware, reserved) may be mapped untracked; nothing was mapped");
        }
        table.requireRange("map-untracked", va.value(), range.size());
        table.engine(va.value(), range.size()).mapRange(range.addr().value(), range.size(), props);
    }

    /**
     * Installs {@code guard} on a kernel table: from now on {@link #unmap}, {@link #protect} and
     * {@link #destroy} ask it first (see {@link RangeGuard}).
     */
    public static void guard(PageTable<KernelSpace> table, RangeGuard guard) {
        if (!table.kernel) {
            throw new MappingException("guard: " + table + " is a user table; guards claim ranges of kernel tables");
        }
        table.requireLive();
        table.guards.add(guard);
    }

    /**
     * Unmaps every page in {@code [va, va + size)}, splitting superpages cut by the range's ends. The
     * nodes those splits need are allocated before anything changes, so running out of memory
     * refuses the call with the tree as it was.
     */
    public PendingFlush unmap(VirtAddr va, long size) throws OutOfFramesException {
        requireRange("unmap", va.value(), size);
        return engine(va.value(), size).unmap(size);
    }

    /**
     * Changes the rights of every page in {@code [va, va + size)} to {@code props}, keeping A/D and
     * tracking; all or nothing, as {@link #unmap}.
     */
    public PendingFlush protect(VirtAddr va, long size, PageProperty props) throws OutOfFramesException {
        requireRange("protect", va.value(), size);
        return engine(va.value(), size).protect(size, props);
    }

    /** A cursor over {@code [va, va + length)}: the engine every operation here runs on, for a caller's own walk through a range. */
    public Cursor<K> cursor(VirtAddr va, long length) {
        requireRange("cursor", va.value(), length);
        return new Cursor<>(this, va.value(), length);
    }

    /** The leaf mapping {@code va}, with rights as the hardware would combine them, if any. */
    public Optional<Mapping> query(VirtAddr va) {
        requireLive();
        if (!format.isCanonical(va.value())) {
            return Optional.empty();
        }
        return engine(va.value() & -PhysAddr.PAGE_SIZE, PhysAddr.PAGE_SIZE).lookup(va.value());
    }

    /** Every leaf mapping, sorted by virtual address (unsigned). */
    public List<Mapping> mappings() {
        requireLive();
        List<Mapping> out = new ArrayList<>();
        collect(root, format.levels() - 1, 0, true, true, true, out);
        return out;
    }

    /** Every node of the tree, the root first, each before the nodes below it (depth first, by address). */
    public List<TableNode> nodes() {
        requireLive();
        List<TableNode> out = new ArrayList<>();
        nodes(root, format.levels() - 1, 0, out);
        return out;
    }

    private void nodes(long table, int level, long prefix, List<TableNode> out) {
        int n = scanNode(table, level);
        int[] at = scan.indexes(level);
        long[] ptes = scan.values(level);
        int valid = 0;
        int self = out.size();
        out.add(new TableNode(table, level, VirtAddr.of(canonical(prefix)), 0));
        for (int k = 0; k < n; k++) {
            long va = canonical(prefix | (long) at[k] << format.indexShift(level));
            switch (decode(ptes[k], level)) {
                case Entry.Table t -> {
                    valid++;
                    nodes(t.pa(), level - 1, va, out);
                }
                case Entry.Leaf leaf -> valid++;
                default -> { }
            }
        }
        out.set(self, new TableNode(table, level, VirtAddr.of(canonical(prefix)), valid));
    }

    /**
     * Tears the address space down: every tracked leaf's frame and every node, the root included,
     * is released by the returned flush. The table is unusable afterwards.
     */
    public PendingFlush destroy() {
        requireLive();
        askGuards("destroy", format.isCanonical(0) ? 0 : 0, 0);
        PendingFlush pending = newFlush();
        release(root, format.levels() - 1, pending);
        pending.tablesChanged();
        pending.destroysTable();
        destroyed = true;
        unlinks++;
        valid.clear();
        return pending;
    }

    public PagingFormat format() {
        return format;
    }

    /** The root register value (satp / CR3) that activates this table. */
    public long rootRegister() {
        return format.rootRegister(root, asid);
    }

    public PhysAddr rootAddress() {
        return PhysAddr.of(root);
    }

    public int asid() {
        return asid;
    }

    /** Page-table nodes in the tree, the root included. */
    public int nodeCount() {
        return valid.size();
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return (kernel ? "kernel" : "user") + " page table (" + format.name() + (kernel ? "" : ", ASID " + asid) + ")"
                + (destroyed ? " (destroyed)" : "");
    }

    // ---- what the cursor asks of the tree ----

    /**
     * Replaces the superpage leaf at {@code index} of {@code node} (level {@code level}) by {@code fresh},
     * a node of next-smaller leaves with the same addresses, rights and tracking.
     */
    void split(long node, int index, int level, Entry.Leaf leaf, long fresh) {
        int lower = level - 1;
        if (lower < 0 || !format.leafAllowed(lower)) {
            throw new IllegalStateException(format.name() + " cannot split a level-" + level + " leaf");
        }
        long step = format.pageSize(lower);
        for (int i = 0; i < format.entriesPerTable(); i++) {
            writePte(fresh, i, format.encodeLeaf(leaf.pa() + i * step, leaf.props(), leaf.tracked(), lower));
        }
        valid.add(fresh >>> 12, format.entriesPerTable());
        writePte(node, index, format.encodeTable(fresh));
    }

    /** Unlinks the empty {@code node} from entry {@code index} of {@code parent}; it goes with {@code pending}. */
    void unlinkNode(long parent, int index, long node, PendingFlush pending) {
        writePte(parent, index, 0);
        count(parent, -1);
        valid.remove(node >>> 12);
        unlinks++;
        pending.releaseNode(node);
    }

    /** How many times a node was unlinked from this tree: a cursor whose path is older reads it again from the root. */
    long unlinks() {
        return unlinks;
    }

    long rootPa() {
        return root;
    }

    RawFrames raw() {
        return raw;
    }

    FrameAllocator frames() {
        return frames;
    }

    /** A fresh zeroed node for this tree, not linked yet. */
    long allocNode() throws OutOfFramesException {
        return allocNode(frames);
    }

    /**
     * The page-table nodes one operation created, in order, so that a failure can unlink and release
     * them all (last first). Nothing maps through them yet, so no TLB can hold a translation that
     * used them.
     */
    final class NodeLog {
        private long[] nodes = {};
        private long[] parents = {};
        private int[] indexes = {};
        private int size;

        /** Forgets what an earlier, successful operation created (those nodes are the tree's now). */
        NodeLog clear() {
            size = 0;
            return this;
        }

        void add(long node, long parent, int index) {
            if (size == nodes.length) {
                int grown = Math.max(4, size * 2);
                nodes = java.util.Arrays.copyOf(nodes, grown);
                parents = java.util.Arrays.copyOf(parents, grown);
                indexes = java.util.Arrays.copyOf(indexes, grown);
            }
            nodes[size] = node;
            parents[size] = parent;
            indexes[size] = index;
            size++;
        }

        void undo() {
            while (size > 0) {
                size--;
                writePte(parents[size], indexes[size], 0);
                count(parents[size], -1);
                valid.remove(nodes[size] >>> 12);
                unlinks++;
                raw.dropRaw(PhysAddr.of(nodes[size]));
            }
        }
    }

    /** A fresh empty node linked at {@code index} of {@code table}, recorded in {@code log} so a later refusal can undo it. */
    long linkNewNode(long table, int index, NodeLog log) throws OutOfFramesException {
        long node = allocNode(frames);
        valid.add(node >>> 12, 0);
        writePte(table, index, format.encodeTable(node));
        count(table, +1);
        log.add(node, table, index);
        return node;
    }

    /** Why {@code va} is not free for a mapping at {@code level}: entry {@code e} at {@code l} is in the way. */
    MappingException overlap(String op, long va, int l, int level, Entry e) {
        if (e instanceof Entry.Leaf) {
            return new MappingException(String.format("%s at 0x%x: overlaps the existing %s mapping at 0x%x",
                    op, va, sizeName(format.pageSize(l)), va & -format.pageSize(l)));
        }
        return new MappingException(String.format("%s at 0x%x: overlaps existing mappings inside [0x%x, 0x%x)",
                op, va, va, va + format.pageSize(level)));
    }

    private void collect(long table, int level, long prefix, boolean writable, boolean user, boolean executable, List<Mapping> out) {
        int n = scanNode(table, level);
        int[] at = scan.indexes(level);
        long[] ptes = scan.values(level);
        for (int k = 0; k < n; k++) {
            long va = canonical(prefix | (long) at[k] << format.indexShift(level));
            switch (decode(ptes[k], level)) {
                case Entry.Table t -> collect(t.pa(), level - 1, va, writable && (!format.rightsAccumulate() || t.writable()),
                        user && (!format.rightsAccumulate() || t.user()), executable && (!format.rightsAccumulate() || t.executable()), out);
                case Entry.Leaf leaf -> {
                    PageProperty p = leaf.props();
                    PageProperty effective = new PageProperty(p.read(), p.write() && writable, p.execute() && executable, p.user() && user,
                            p.global(), p.accessed(), p.dirty(), p.cache());
                    out.add(new Mapping(VirtAddr.of(va), leaf.pa(), format.pageSize(level), effective, leaf.tracked()));
                }
                default -> { }
            }
        }
    }

    /** Releases a node's subtree. */
    private void release(long table, int level, PendingFlush pending) {
        int n = scanNode(table, level);
        int[] at = scan.indexes(level);
        long[] ptes = scan.values(level);
        for (int k = 0; k < n; k++) {
            long frame = format.trackedLeafFrame(ptes[k], level);
            if (frame >= 0) {
                pending.releaseFrame(frame);
                continue;
            }
            switch (decode(ptes[k], level)) {
                case Entry.Table t -> release(t.pa(), level - 1, pending);
                case Entry.Leaf leaf when releasesFrame(leaf) -> pending.releaseFrame(leaf.pa());
                default -> { }
            }
        }
        pending.releaseNode(table);
    }

    /**
     * Whether a leaf's frame goes back with the leaf: tracked leaves only. While B5 is planted
     * ({@link PlantedBug#B5}) untracked ones too — Asterinas #1399's destructor, whose release the
     * frame allocator then refuses ({@code BadFreeException}: the memory was never its to take back).
     */
    boolean releasesFrame(Entry.Leaf leaf) {
        return leaf.tracked() || frames.faults().isPlanted(PlantedBug.B5);
    }

    /** Sign-extends a top-level index's address into the upper canonical half where the format has one. */
    private long canonical(long va) {
        int bits = 64 - Long.numberOfLeadingZeros(format.lowerHalfEnd());
        return va << (64 - bits) >> (64 - bits);
    }

    int count(long table, int delta) {
        return (int) valid.change(table >>> 12, delta);
    }

    Entry decode(long pte, int level) {
        return format.decode(pte, level, Cursor.SOFTWARE);
    }

    /** Reads node {@code table}'s non-zero entries into {@link #scan}'s buffers for {@code level}; returns how many. */
    private int scanNode(long table, int level) {
        return scan.scan(memory, table, level, format.pteBytes(), format.entriesPerTable());
    }

    long readPte(long table, int index) {
        long at = table + (long) index * format.pteBytes();
        return format.pteBytes() == 8 ? memory.readU64(at) : memory.readU32(at);
    }

    void writePte(long table, int index, long pte) {
        long at = table + (long) index * format.pteBytes();
        if (format.pteBytes() == 8) {
            memory.writeU64(at, pte);
        } else {
            memory.writeU32(at, pte);
        }
    }

    void encodable(String op, PageProperty props, boolean tracked) {
        if (props == encodableTracked && tracked) {
            return; // PageProperty values are interned: the same rights were checked last time
        }
        try {
            format.encodeLeaf(0, props, tracked, 0);
        } catch (IllegalArgumentException e) {
            throw new MappingException(op + " with rights " + props + ": " + e.getMessage());
        }
        if (tracked) {
            encodableTracked = props;
        }
    }

    private void requireRange(String op, long v, long size) {
        requireLive();
        long last = v + size - 1;
        if ((v & (PhysAddr.PAGE_SIZE - 1)) != 0 || size <= 0 || (size & (PhysAddr.PAGE_SIZE - 1)) != 0
                || !format.isCanonical(v) || !format.isCanonical(last) || Long.compareUnsigned(last, v) < 0
                || (Long.compareUnsigned(v, format.lowerHalfEnd()) < 0) != (Long.compareUnsigned(last, format.lowerHalfEnd()) < 0)) {
            throw badRange(op, v, size);
        }
    }

    /** Why {@link #requireRange} refused (kept out of the checked path, which every operation runs). */
    private MappingException badRange(String op, long v, long size) {
        if ((v & (PhysAddr.PAGE_SIZE - 1)) != 0) {
            return new MappingException(op + " at " + VirtAddr.of(v) + ": the address is not 4 KiB-aligned");
        }
        if (size <= 0 || (size & (PhysAddr.PAGE_SIZE - 1)) != 0) {
            return new MappingException(op + " at " + VirtAddr.of(v) + ": size " + size + " must be a positive multiple of 4096");
        }
        return new MappingException(String.format("%s [0x%x, 0x%x): not a canonical range for %s", op, v, v + size, format.name()));
    }

    /** A flush of this table (in the planted PR #1387 order if that bug is planted). */
    PendingFlush newFlush() {
        return new PendingFlush(raw, cpus, kernel, asid, root, frames.faults().isPlanted(PlantedBug.B5_FLUSH));
    }

    /** The machine's CPUs, whose TLBs this table's flushes reach. */
    public Cpus cpus() {
        return cpus;
    }

    /** Asks every guard; {@code size} 0 means the whole table (destroy). */
    void askGuards(String op, long va, long size) {
        for (int i = 0; i < guards.size(); i++) {
            guards.get(i).check(op, va, size);
        }
    }

    void requireLive() {
        if (destroyed) {
            throw new MappingException("this " + format.name() + " page table was destroyed");
        }
    }

    /** A zeroed node, its reference held raw (by the tree once linked). */
    private static long allocNode(FrameAllocator frames) throws OutOfFramesException {
        return frames.raw().intoRaw(frames.allocZeroed(Usage.PAGE_TABLE)).value();
    }



    static String sizeName(long size) {
        if (size >= 1L << 30) {
            return (size >> 30) + " GiB";
        }
        return size >= 1L << 20 ? (size >> 20) + " MiB" : (size >> 10) + " KiB";
    }
}
