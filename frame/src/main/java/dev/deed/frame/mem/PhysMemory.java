package dev.deed.frame.mem;

import dev.deed.frame.InvalidAddressException;
import dev.deed.frame.Machine;
import dev.deed.frame.PhysAddr;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The machine's RAM, little-endian, sparse: backing is kept per 4 KiB page in chunks of 512 pages,
 * allocated on the first non-zero write. The only per-frame cost of untouched memory is one chunk
 * slot per 512 frames.
 */
public final class PhysMemory {
    private static final int PAGE = (int) PhysAddr.PAGE_SIZE;
    private static final int CHUNK_SHIFT = 9;
    private static final int CHUNK_PAGES = 1 << CHUNK_SHIFT;
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long base;
    private final long end;
    private final byte[] @Nullable [] @Nullable [] chunks;
    private long touchedPages;
    /** One page (+4 bytes, to start at any phase) of the last fill pattern used: poisoning is hot. */
    private byte @Nullable [] lastPattern;
    private int lastPatternValue;

    public PhysMemory(Machine machine) {
        this.base = machine.ramBase().value();
        this.end = machine.ramEnd();
        long pages = machine.frames();
        this.chunks = new byte[(int) ((pages + CHUNK_PAGES - 1) >>> CHUNK_SHIFT)][][];
    }

    public long ramBase() {
        return base;
    }

    public long ramEnd() {
        return end;
    }

    public int readU8(long pa) {
        check(pa, 1);
        byte @Nullable [] page = pageOrNull(pa);
        return page == null ? 0 : page[offset(pa)] & 0xFF;
    }

    public int readU16(long pa) {
        check(pa, 2);
        if (offset(pa) > PAGE - 2) {
            return (int) readSlow(pa, 2);
        }
        byte @Nullable [] page = pageOrNull(pa);
        return page == null ? 0 : (short) U16.get(page, offset(pa)) & 0xFFFF;
    }

    public long readU32(long pa) {
        check(pa, 4);
        if (offset(pa) > PAGE - 4) {
            return readSlow(pa, 4);
        }
        byte @Nullable [] page = pageOrNull(pa);
        return page == null ? 0 : (int) U32.get(page, offset(pa)) & 0xFFFF_FFFFL;
    }

    public long readU64(long pa) {
        check(pa, 8);
        if (offset(pa) > PAGE - 8) {
            return readSlow(pa, 8);
        }
        byte @Nullable [] page = pageOrNull(pa);
        return page == null ? 0 : (long) U64.get(page, offset(pa));
    }

    public void writeU8(long pa, int value) {
        check(pa, 1);
        if (value == 0 && pageOrNull(pa) == null) {
            return;
        }
        page(pa)[offset(pa)] = (byte) value;
    }

    public void writeU16(long pa, int value) {
        check(pa, 2);
        if (offset(pa) > PAGE - 2) {
            writeSlow(pa, value, 2);
        } else if (value != 0 || pageOrNull(pa) != null) {
            U16.set(page(pa), offset(pa), (short) value);
        }
    }

    public void writeU32(long pa, long value) {
        check(pa, 4);
        if (offset(pa) > PAGE - 4) {
            writeSlow(pa, value, 4);
        } else if (value != 0 || pageOrNull(pa) != null) {
            U32.set(page(pa), offset(pa), (int) value);
        }
    }

    public void writeU64(long pa, long value) {
        check(pa, 8);
        if (offset(pa) > PAGE - 8) {
            writeSlow(pa, value, 8);
        } else if (value != 0 || pageOrNull(pa) != null) {
            U64.set(page(pa), offset(pa), value);
        }
    }

    /**
     * Fills {@code [pa, pa + length)} with a repeating little-endian 32-bit pattern, its first byte
     * at {@code pa} (so a pattern-aligned u32 or u64 load reads the pattern back).
     */
    public void fillPattern32(long pa, long length, int pattern) {
        check(pa, length);
        if (pattern == 0) {
            zero(pa, length);
            return;
        }
        byte[] source = patternPage(pattern);
        for (long i = 0; i < length; ) {
            int off = offset(pa + i);
            int span = (int) Math.min(PAGE - off, length - i);
            System.arraycopy(source, (int) (i & 3), page(pa + i), off, span);
            i += span;
        }
    }

    /**
     * The offset of the first byte in {@code [pa, pa + length)} that differs from the repeating
     * pattern (as {@link #fillPattern32} writes it), or -1 if the whole range holds the pattern.
     */
    public long mismatchPattern32(long pa, long length, int pattern) {
        check(pa, length);
        byte[] expected = patternPage(pattern);
        for (long i = 0; i < length; ) {
            int off = offset(pa + i);
            int span = (int) Math.min(PAGE - off, length - i);
            byte @Nullable [] page = pageOrNull(pa + i);
            int at;
            if (page == null) {
                at = pattern == 0 ? -1 : 0;
            } else {
                int from = (int) (i & 3);
                at = java.util.Arrays.mismatch(page, off, off + span, expected, from, from + span);
            }
            if (at >= 0) {
                return i + at;
            }
            i += span;
        }
        return -1;
    }

    private byte[] patternPage(int pattern) {
        byte[] cached = lastPattern;
        if (cached != null && lastPatternValue == pattern) {
            return cached;
        }
        byte[] bytes = new byte[PAGE + 4];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (pattern >>> (8 * (i & 3)));
        }
        lastPattern = bytes;
        lastPatternValue = pattern;
        return bytes;
    }

    /** Zeroes {@code [pa, pa + length)}; whole pages give their backing back. */
    public void zero(long pa, long length) {
        check(pa, length);
        long at = pa;
        long stop = pa + length;
        while (at < stop) {
            int off = offset(at);
            long span = Math.min(PAGE - off, stop - at);
            if (off == 0 && span == PAGE) {
                dropPage(at);
            } else {
                byte @Nullable [] page = pageOrNull(at);
                if (page != null) {
                    java.util.Arrays.fill(page, off, off + (int) span, (byte) 0);
                }
            }
            at += span;
        }
    }

    /** Copies {@code length} bytes; the ranges must not overlap. Untouched source pages stay sparse. */
    public void copy(long from, long to, long length) {
        check(from, length);
        check(to, length);
        if (from < to + length && to < from + length) {
            throw new IllegalArgumentException("copy ranges overlap: " + PhysAddr.hex(from) + " and " + PhysAddr.hex(to)
                    + " with length " + length);
        }
        for (long i = 0; i < length; ) {
            long span = Math.min(Math.min(PAGE - offset(from + i), PAGE - offset(to + i)), length - i);
            byte @Nullable [] src = pageOrNull(from + i);
            if (src == null) {
                zero(to + i, span);
            } else {
                System.arraycopy(src, offset(from + i), page(to + i), offset(to + i), (int) span);
            }
            i += span;
        }
    }

    /** Reads {@code length} bytes into {@code into[at…]}. */
    public void read(long pa, byte[] into, int at, int length) {
        check(pa, length);
        java.util.Objects.checkFromIndexSize(at, length, into.length);
        for (int i = 0; i < length; ) {
            int off = offset(pa + i);
            int span = Math.min(PAGE - off, length - i);
            byte @Nullable [] page = pageOrNull(pa + i);
            if (page == null) {
                java.util.Arrays.fill(into, at + i, at + i + span, (byte) 0);
            } else {
                System.arraycopy(page, off, into, at + i, span);
            }
            i += span;
        }
    }

    /** True if the page holding {@code pa} has backing (has been written non-zero since it was last zeroed). */
    public boolean isTouched(long pa) {
        check(pa, 1);
        return pageOrNull(pa) != null;
    }

    /** Pages that currently have backing. */
    public long touchedPages() {
        return touchedPages;
    }

    private void check(long pa, long length) {
        if (length < 0 || pa < base || pa > end || length > end - pa) {
            throw new InvalidAddressException(String.format("physical access [%s, +%d) is outside RAM [%s, %s)",
                    PhysAddr.hex(pa), length, PhysAddr.hex(base), PhysAddr.hex(end)));
        }
    }

    private static int offset(long pa) {
        return (int) (pa & (PAGE - 1));
    }

    private byte @Nullable [] pageOrNull(long pa) {
        long page = (pa - base) >>> PhysAddr.PAGE_SHIFT;
        byte @Nullable [] @Nullable [] chunk = chunks[(int) (page >>> CHUNK_SHIFT)];
        return chunk == null ? null : chunk[(int) (page & (CHUNK_PAGES - 1))];
    }

    private byte[] page(long pa) {
        long page = (pa - base) >>> PhysAddr.PAGE_SHIFT;
        int c = (int) (page >>> CHUNK_SHIFT);
        byte @Nullable [] @Nullable [] chunk = chunks[c];
        if (chunk == null) {
            chunk = new byte[CHUNK_PAGES] @Nullable [];
            chunks[c] = chunk;
        }
        int p = (int) (page & (CHUNK_PAGES - 1));
        byte @Nullable [] bytes = chunk[p];
        if (bytes == null) {
            bytes = new byte[PAGE];
            chunk[p] = bytes;
            touchedPages++;
        }
        return bytes;
    }

    private void dropPage(long pa) {
        long page = (pa - base) >>> PhysAddr.PAGE_SHIFT;
        byte @Nullable [] @Nullable [] chunk = chunks[(int) (page >>> CHUNK_SHIFT)];
        int p = (int) (page & (CHUNK_PAGES - 1));
        if (chunk != null && chunk[p] != null) {
            chunk[p] = null;
            touchedPages--;
        }
    }

    private long readSlow(long pa, int bytes) {
        long v = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            v = (v << 8) | readU8(pa + i);
        }
        return v;
    }

    private void writeSlow(long pa, long value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            writeU8(pa + i, (int) (value >>> (8 * i)) & 0xFF);
        }
    }
}
