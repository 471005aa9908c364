package dev.deed.heap;

import dev.deed.frame.OutOfFramesException;
import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.Owning;

/**
 * A heap block that owns child blocks: a kernel object's struct that points at buffers it owns, as
 * Tilck's {@code task_and_process} owns its {@code debug_cmdline} (B1).
 *
 * <p>Children are allocated through the container ({@link #kzallocChild}) and come back as
 * {@link Child} views, which have no {@code close()}. The container has no {@code close()} either:
 * its one destructor, {@link #free}, frees every live child and then the container. So the wrong
 * order — the container before a child — cannot be written at all, directly, through an alias, in a
 * helper or in a destructor: there is no call that frees the container first. A child can be freed
 * early with {@link #freeChild} (which also clears the pointer field naming it); forgetting to free
 * the container is a Resource Leak Checker error like any other leak.
 *
 * <p>At run time the container's memory block records its children, and the heap refuses to free a
 * block that owns a live child even on the unchecked raw path ({@code kfree} by address, as C code
 * would call it), naming the child, with nothing freed.
 */
@InheritableMustCall("free")
public final class Container {
    private final @Owning Block memory;

    Container(@Owning Block memory) {
        this.memory = memory;
    }

    /**
     * A zero-filled child block of {@code size} bytes, owned by this container, its address written
     * into {@code pointer} (a pointer field of this container's layout). All or nothing: refused
     * before allocating if the field is not a pointer inside this block or already names a live child.
     *
     * @throws OutOfFramesException no memory for the child (nothing changed)
     */
    public Child kzallocChild(Field pointer, long size) throws OutOfFramesException {
        if (pointer.kind() != Field.Kind.POINTER || pointer.offset() + pointer.size() > memory.size()) {
            throw new IllegalArgumentException(pointer + " is not a pointer field inside " + memory
                    + ": a child's address is stored in a pointer field of its container");
        }
        long current = memory.read(pointer);
        for (Block c : memory.children()) {
            if (c.address() == current) {
                throw new IllegalArgumentException(pointer + " of " + memory + " already names live child " + c
                        + "; free it (freeChild) before replacing it");
            }
        }
        Block child = memory.heap().kzalloc(size);
        Child view = new Child(child, pointer);
        memory.own(child);
        child.viewAs(view);
        memory.write(pointer, child.address());
        return view;
    }

    /**
     * Frees one child early and clears the pointer field that named it. Refused, changing nothing, if
     * {@code child} is not a live child of this container.
     */
    public void freeChild(Child child) {
        Block block = child.block;
        if (block.isFreed() || block.owner() != memory) {
            throw new LiveChildrenException("cannot free " + block + " as a child of " + memory
                    + ": it is not a live child of it; nothing was freed");
        }
        block.close();
        memory.write(child.pointer, 0);
    }

    /** Live children, most recently allocated first (views: the container keeps owning them). */
    public Child[] children() {
        Block[] blocks = memory.children();
        Child[] views = new Child[blocks.length];
        for (int i = 0; i < blocks.length; i++) {
            views[i] = Child.of(blocks[i]);
        }
        return views;
    }

    /**
     * The destructor: frees every live child (most recently allocated first), then the container.
     * Every child handle and this container's accessors are revoked afterwards.
     */
    @EnsuresCalledMethods(value = "this.memory", methods = "close")
    public void free() {
        for (Block c : memory.children()) {
            c.close();
        }
        memory.close();
    }

    /** The container's simulated address: what a pointer to the object holds. */
    public long address() {
        return memory.address();
    }

    /** Usable bytes. */
    public int size() {
        return memory.size();
    }

    public boolean isFreed() {
        return memory.isFreed();
    }

    /** Names the container in error messages (e.g. {@code "task_and_process 7"}). */
    public void label(String name) {
        memory.label(name);
    }

    public long read(Field field) {
        return memory.read(field);
    }

    public long read(Field field, int index) {
        return memory.read(field, index);
    }

    public void write(Field field, long value) {
        memory.write(field, value);
    }

    public void write(Field field, int index, long value) {
        memory.write(field, index, value);
    }

    @Override
    public String toString() {
        return memory.toString();
    }
}
