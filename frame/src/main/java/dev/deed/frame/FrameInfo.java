package dev.deed.frame;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What the allocator knows of one frame.
 *
 * @param addr       the frame's address
 * @param state      its ownership state
 * @param references handles (and mappings) holding it; 0 unless allocated
 * @param usage      its usage tag if allocated
 * @param unitOrder  the order of the unit (aligned power-of-two block) that contains it
 */
public record FrameInfo(PhysAddr addr, FrameState state, int references, @Nullable Usage usage, int unitOrder) {

    @Override
    public String toString() {
        return switch (state) {
            case UNUSED -> "unused (free, in a unit of order " + unitOrder + ")";
            case UNIQUE -> "unique (" + usage + ", 1 reference)";
            case IN_USE -> "in use (" + usage + ", " + references + " references)";
            case RESERVED -> "reserved";
        };
    }
}
