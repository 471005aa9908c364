package dev.deed.heap;

/**
 * A view of a block a {@link Container} owns: its memory can be read and written, but it has no
 * {@code close()} — only its container frees it ({@link Container#freeChild}, or {@link Container#free}
 * which frees the children first). Once freed, every access throws {@link RevokedBlockException}.
 */
public final class Child {
    final Block block;
    /** The container's pointer field that names this child. */
    final Field pointer;

    Child(Block block, Field pointer) {
        this.block = block;
        this.pointer = pointer;
    }

    static Child of(Block block) {
        Child view = block.childView();
        if (view == null) {
            throw new IllegalStateException(block + " is not a container's child");
        }
        return view;
    }

    /** The child's simulated address: what its container's pointer field holds. */
    public long address() {
        return block.address();
    }

    public int size() {
        return block.size();
    }

    public boolean isFreed() {
        return block.isFreed();
    }

    /** Names the child in error messages (e.g. {@code "debug_cmdline 7"}). */
    public void label(String name) {
        block.label(name);
    }

    public int readU8(long offset) {
        return block.readU8(offset);
    }

    public void writeU8(long offset, int value) {
        block.writeU8(offset, value);
    }

    public long read(Field field) {
        return block.read(field);
    }

    public void write(Field field, long value) {
        block.write(field, value);
    }

    @Override
    public String toString() {
        return block.toString();
    }
}
