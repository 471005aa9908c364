package dev.deed.heap;

import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.NotOwning;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A handle to one live heap block. Its memory is read and written through typed accessors at
 * offsets (or {@link Field}s of a {@link StructLayout}); pointer-sized accessors use the
 * architecture's width. {@link #close()} frees the block and revokes the handle: every later use
 * throws {@link RevokedBlockException} — so a pointer field of a freed struct can never be read
 * through its handle.
 *
 * <p>A block that owns children is a {@link Container}, which has no plain {@code close()}: its
 * memory block records the children ({@link #own}) and refuses to be freed while one is live.
 */
@InheritableMustCall("close")
public final class Block implements AutoCloseable {
    private final KernelHeap heap;
    private final long address;
    private final int size;
    private final int requested;
    /** The slab (small heap) or span (main heap) the block lives in. */
    final Object home;
    final int slot;
    private boolean freed;
    /** Ownership links and label; most blocks never need them, so they live apart (a smaller handle). */
    private @Nullable Links links;

    /** Non-owning references: parent, first child, siblings (an intrusive list), and a name for messages. */
    private static final class Links {
        @Nullable Block owner;
        @Nullable Block firstChild;
        @Nullable Block nextSibling;
        @Nullable Block prevSibling;
        int childCount;
        @Nullable String label;
        /** Set on a container's child: the view its container handed out. */
        @Nullable Child view;
    }

    Block(KernelHeap heap, long address, int size, long requested, Object home, int slot) {
        this.heap = heap;
        this.address = address;
        this.size = size;
        this.requested = (int) requested;
        this.home = home;
        this.slot = slot;
    }

    /** The block's simulated address: what a pointer field pointing at it holds. */
    public long address() {
        requireLive();
        return address;
    }

    /** Usable bytes (the size class or main block size, at least the requested size). */
    public int size() {
        return size;
    }

    public long requested() {
        return requested;
    }

    public boolean isFreed() {
        return freed;
    }

    /** Names the block in error messages (e.g. {@code "debug_cmdline"}). */
    public void label(String name) {
        links().label = name;
    }

    /**
     * Records that this block (a container's memory) owns {@code child}, taking the obligation to
     * free it: this block cannot be freed while {@code child} is live, and its container frees it first.
     */
    @SuppressWarnings("required.method.not.called") // the obligation moves into the owner's child list, which Container.free closes
    void own(@Owning Block child) {
        requireLive();
        child.requireLive();
        if (child == this) {
            throw new IllegalArgumentException(this + " cannot own itself");
        }
        if (child.owner() != null) {
            throw new IllegalArgumentException(child + " is already owned by " + child.owner());
        }
        for (Block b = this; b != null; b = b.owner()) {
            if (b == child) {
                throw new IllegalArgumentException(child + " owns " + this + " already; ownership must not form a cycle");
            }
        }
        Links mine = links();
        Links its = child.links();
        its.owner = this;
        its.prevSibling = null;
        its.nextSibling = mine.firstChild;
        if (mine.firstChild != null) {
            mine.firstChild.links().prevSibling = child;
        }
        mine.firstChild = child;
        mine.childCount++;
    }

    /** Records the view its container handed out for this (child) block. */
    void viewAs(Child view) {
        links().view = view;
    }

    /** The view a container handed out for this block, if it is a container's child. */
    @Nullable Child childView() {
        Links mine = links;
        return mine == null ? null : mine.view;
    }

    KernelHeap heap() {
        return heap;
    }

    /** Live children, most recently adopted first. */
    public Block[] children() {
        Links mine = links;
        if (mine == null) {
            return new Block[0];
        }
        Block[] all = new Block[mine.childCount];
        int i = 0;
        for (Block c = mine.firstChild; c != null; c = c.links().nextSibling) {
            all[i++] = c;
        }
        return all;
    }

    /** The block that owns this one, if any (a view: the caller gets no obligation to free it). */
    public @NotOwning @Nullable Block owner() {
        Links mine = links;
        return mine == null ? null : mine.owner;
    }

    public int readU8(long offset) {
        return heap.memory().readU8(at(offset, 1));
    }

    public int readU16(long offset) {
        return heap.memory().readU16(at(offset, 2));
    }

    public long readU32(long offset) {
        return heap.memory().readU32(at(offset, 4));
    }

    public long readU64(long offset) {
        return heap.memory().readU64(at(offset, 8));
    }

    public void writeU8(long offset, int value) {
        heap.memory().writeU8(at(offset, 1), value);
    }

    public void writeU16(long offset, int value) {
        heap.memory().writeU16(at(offset, 2), value);
    }

    public void writeU32(long offset, long value) {
        heap.memory().writeU32(at(offset, 4), value);
    }

    public void writeU64(long offset, long value) {
        heap.memory().writeU64(at(offset, 8), value);
    }

    /** A pointer-sized field: 8 bytes on riscv64, 4 on i386 (zero-extended). */
    public long readPointer(long offset) {
        int width = heap.config().pointerBytes();
        return width == 8 ? readU64(offset) : readU32(offset);
    }

    public void writePointer(long offset, long value) {
        int width = heap.config().pointerBytes();
        if (width == 4 && (value & ~0xFFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("pointer value 0x" + Long.toHexString(value) + " does not fit in 4 bytes");
        }
        if (width == 8) {
            writeU64(offset, value);
        } else {
            writeU32(offset, value);
        }
    }

    public long read(Field field) {
        return read(field, 0);
    }

    public void write(Field field, long value) {
        write(field, 0, value);
    }

    /** Element {@code index} of an array field. */
    public long read(Field field, int index) {
        long offset = field.offsetOf(index);
        return switch (field.kind()) {
            case U8, BYTES -> readU8(offset);
            case U16 -> readU16(offset);
            case U32 -> readU32(offset);
            case U64 -> readU64(offset);
            case POINTER -> readPointer(offset);
        };
    }

    public void write(Field field, int index, long value) {
        long offset = field.offsetOf(index);
        switch (field.kind()) {
            case U8, BYTES -> writeU8(offset, (int) value);
            case U16 -> writeU16(offset, (int) value);
            case U32 -> writeU32(offset, value);
            case U64 -> writeU64(offset, value);
            case POINTER -> writePointer(offset, value);
        }
    }

    /**
     * Frees the block and revokes this handle. Refused, with nothing freed, if it still owns a live
     * child; a second close is refused too (it would be a double free).
     */
    @Override
    public void close() {
        requireLive();
        requireNoLiveChildren();
        heap.release(this);
    }

    /** Refuses (nothing freed) while this block owns a live child: checked by every free, raw ones too. */
    void requireNoLiveChildren() {
        Links mine = links;
        if (mine != null && mine.firstChild != null) {
            throw new LiveChildrenException("cannot free " + this + ": it still owns live " + mine.firstChild
                    + (mine.childCount > 1 ? " (and " + (mine.childCount - 1) + " more)" : "")
                    + "; free the children first. Nothing was freed");
        }
    }

    // ---- package-private: the heap's side ----

    /** Called by the heap when the block is freed (by close or by the unchecked raw path). */
    void revoke() {
        freed = true;
        Links mine = links;
        if (mine == null) {
            return;
        }
        if (mine.owner != null) {
            mine.owner.unlinkChild(this);
        }
    }

    private void unlinkChild(Block child) {
        Links mine = links();
        Links its = child.links();
        if (its.prevSibling != null) {
            its.prevSibling.links().nextSibling = its.nextSibling;
        } else {
            mine.firstChild = its.nextSibling;
        }
        if (its.nextSibling != null) {
            its.nextSibling.links().prevSibling = its.prevSibling;
        }
        its.prevSibling = null;
        its.nextSibling = null;
        its.owner = null;
        mine.childCount--;
    }

    private Links links() {
        Links mine = links;
        if (mine == null) {
            mine = new Links();
            links = mine;
        }
        return mine;
    }

    long rawAddress() {
        return address;
    }

    private long at(long offset, int width) {
        requireLive();
        if (offset < 0 || offset > size - width) {
            throw new IndexOutOfBoundsException("offset " + offset + " (+" + width + ") is outside " + this);
        }
        return address + offset;
    }

    private void requireLive() {
        if (freed) {
            throw new RevokedBlockException("use of " + this + " after it was freed: the handle is revoked");
        }
    }

    @Override
    public String toString() {
        String label = links == null ? null : links.label;
        return (label == null ? "block" : "block '" + label + "'") + " 0x" + Long.toHexString(address) + " (size " + size + ")";
    }
}
