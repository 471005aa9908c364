package dev.deed.heap;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A C-like struct layout: named fields at naturally aligned offsets, pointer fields as wide as the
 * architecture's pointers, size rounded up to the largest alignment. Kernel objects laid out with it
 * live in heap memory and are read and written through {@link Block#read(Field)} and
 * {@link Block#write(Field, long)}.
 *
 * <pre>{@code
 * StructLayout proc = StructLayout.builder("task_and_process", 8)
 *     .u32("pid").pointer("debug_cmdline").pointers("fds", 160).build();
 * }</pre>
 */
public final class StructLayout {
    private final String name;
    private final Map<String, Field> fields;
    private final long size;

    private StructLayout(String name, Map<String, Field> fields, long size) {
        this.name = name;
        this.fields = fields;
        this.size = size;
    }

    public static Builder builder(String name, int pointerBytes) {
        return new Builder(name, pointerBytes);
    }

    public String name() {
        return name;
    }

    public long size() {
        return size;
    }

    public List<Field> fields() {
        return List.copyOf(fields.values());
    }

    public Field field(String fieldName) {
        Field f = fields.get(fieldName);
        if (f == null) {
            throw new IllegalArgumentException("struct " + name + " has no field '" + fieldName + "'; it has "
                    + String.join(", ", fields.keySet()));
        }
        return f;
    }

    /** Adds fields in declaration order; {@link #build()} computes offsets. */
    public static final class Builder {
        private final String name;
        private final int pointerBytes;
        private final Map<String, Field> fields = new LinkedHashMap<>();
        private long offset;
        private int maxAlign = 1;

        private Builder(String name, int pointerBytes) {
            if (pointerBytes != 4 && pointerBytes != 8) {
                throw new IllegalArgumentException("pointer width " + pointerBytes + " must be 4 or 8 bytes");
            }
            this.name = name;
            this.pointerBytes = pointerBytes;
        }

        public Builder u8(String field) {
            return add(field, Field.Kind.U8, 1, 1);
        }

        public Builder u16(String field) {
            return add(field, Field.Kind.U16, 2, 1);
        }

        public Builder u32(String field) {
            return add(field, Field.Kind.U32, 4, 1);
        }

        public Builder u64(String field) {
            return add(field, Field.Kind.U64, 8, 1);
        }

        public Builder pointer(String field) {
            return add(field, Field.Kind.POINTER, pointerBytes, 1);
        }

        /** An array of {@code count} pointers. */
        public Builder pointers(String field, int count) {
            return add(field, Field.Kind.POINTER, pointerBytes, count);
        }

        /** An array of {@code count} u64s. */
        public Builder u64s(String field, int count) {
            return add(field, Field.Kind.U64, 8, count);
        }

        /** A byte array (e.g. a name). */
        public Builder bytes(String field, int count) {
            return add(field, Field.Kind.BYTES, 1, count);
        }

        public StructLayout build() {
            long size = (offset + maxAlign - 1) / maxAlign * maxAlign;
            return new StructLayout(name, new LinkedHashMap<>(fields), Math.max(size, 1));
        }

        private Builder add(String field, Field.Kind kind, int width, int count) {
            if (field.isBlank() || fields.containsKey(field)) {
                throw new IllegalArgumentException("struct " + name + ": field name '" + field + "' is blank or already used");
            }
            if (count < 1) {
                throw new IllegalArgumentException("struct " + name + ": field '" + field + "' needs a count >= 1, got " + count);
            }
            offset = (offset + width - 1) / width * width;
            fields.put(field, new Field(name, field, kind, offset, width, count));
            offset += (long) width * count;
            maxAlign = Math.max(maxAlign, width);
            return this;
        }
    }
}
