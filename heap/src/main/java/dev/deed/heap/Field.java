package dev.deed.heap;

/**
 * A named field of a {@link StructLayout}: its byte offset, element width, element count (1 for a
 * scalar) and kind.
 */
public record Field(String struct, String name, Kind kind, long offset, int width, int count) {

    public enum Kind { U8, U16, U32, U64, POINTER, BYTES }

    /** The offset of element {@code index} of an array field. */
    public long offsetOf(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("index " + index + " is outside " + struct + "." + name + "[" + count + "]");
        }
        return offset + (long) index * width;
    }

    public long size() {
        return (long) width * count;
    }

    @Override
    public String toString() {
        return struct + "." + name + (count > 1 ? "[" + count + "]" : "") + " @" + offset;
    }
}
