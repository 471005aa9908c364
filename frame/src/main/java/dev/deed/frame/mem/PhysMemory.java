package dev.deed.frame.mem;

import dev.deed.frame.InvalidAddressException;
import dev.deed.frame.Machine;
import dev.deed.frame.PhysAddr;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The machine's RAM, little-endian, sparse: backing is kept per 4 KiB page in chunks of 512 pages,
 * allocated on the first non-zero write. The only per-frame cost of untouched memory is one chunk
 * slot per 512 frames. A page filled wholly with a repeating pattern (poison) shares one read-only
 * page of that pattern until its first store, which gives it a private copy (copy on write).
 */
public final class PhysMemory {
    private static final int PAGE = (int) PhysAddr.PAGE_SIZE;
    private static final int CHUNK_SHIFT = 9;
    private static final int CHUNK_PAGES = 1 << CHUNK_SHIFT;
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** What an untouched page reads as: the other side of {@link #nonZeroWords}'s comparisons. */
    private static final byte[] ZERO_PAGE = new byte[PAGE];

    private final long base;
    private final long end;
    private final byte[] @Nullable [] @Nullable [] chunks;
    /**
     * Per private backing page, which of its 64 lines of 64 bytes have been written since it was
     * made (a bit each; all set when unknown): a recycled page is refilled with zeros only there.
     * Every write path marks what it writes, or the whole page.
     */
    private final long[] @Nullable [] written;
    private long touchedPages;
    /** Counts every replacement or removal of a page's backing array, for {@link PageViews}. */
    private long backingChanges;
    /** Shared read-only pattern pages ({@link #patternPage}) of the last few fill patterns. */
    private final byte @Nullable [] @Nullable [] patternPages = new byte[4][];
    private final int[] patternValues = new int[4];
    private int patternCount;
    /**
     * Private backing pages given back by {@link #zero} or a free, kept (up to a bound) to back the
     * next page that is written: refilling a recently used page with zeros costs less than a new
     * array and its garbage — a page-table node freed and made again is the common case.
     */
    private final byte @Nullable [] @Nullable [] spares = new byte[64][];
    /** The written lines of each spare page: what a refill has to zero. */
    private final long[] spareWritten = new long[64];
    private int spareCount;
    private long patternEvictions;

    public PhysMemory(Machine machine) {
        this.base = machine.ramBase().value();
        this.end = machine.ramEnd();
        long pages = machine.frames();
        this.chunks = new byte[(int) ((pages + CHUNK_PAGES - 1) >>> CHUNK_SHIFT)][][];
        this.written = new long[chunks.length][];
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
        pageFor(pa, 1)[offset(pa)] = (byte) value;
    }

    public void writeU16(long pa, int value) {
        check(pa, 2);
        if (offset(pa) > PAGE - 2) {
            writeSlow(pa, value, 2);
        } else if (value != 0 || pageOrNull(pa) != null) {
            U16.set(pageFor(pa, 2), offset(pa), (short) value);
        }
    }

    public void writeU32(long pa, long value) {
        check(pa, 4);
        if (offset(pa) > PAGE - 4) {
            writeSlow(pa, value, 4);
        } else if (value != 0 || pageOrNull(pa) != null) {
            U32.set(pageFor(pa, 4), offset(pa), (int) value);
        }
    }

    public void writeU64(long pa, long value) {
        check(pa, 8);
        if (offset(pa) > PAGE - 8) {
            writeSlow(pa, value, 8);
        } else if (value != 0 || pageOrNull(pa) != null) {
            U64.set(pageFor(pa, 8), offset(pa), value);
        }
    }

    /**
     * Fills {@code [pa, pa + length)} with a repeating little-endian 32-bit pattern, its first byte
     * at {@code pa} (so a pattern-aligned u32 or u64 load reads the pattern back).
     *
     * <p>Poisoning is hot, so this works on the backing store in bulk: a whole page whose phase
     * matches takes the shared read-only page of the pattern (a pointer store; the first later store
     * to it copies it, so a write after free lands in a private copy and is found by
     * {@link #mismatchPattern32}); part of a page is one array copy, skipped when the page already
     * holds the pattern at that phase.
     */
    public void fillPattern32(long pa, long length, int pattern) {
        check(pa, length);
        if (length == 0) {
            return;
        }
        if (pattern == 0) {
            zero(pa, length);
            return;
        }
        byte[] source = patternPage(pattern);
        int first = offset(pa);
        if (length < PAGE - first) { // inside one page: a slab object
            byte @Nullable [] page = pageOrNull(pa);
            if (page == source && (first & 3) == 0) {
                return; // the shared pattern page already holds it
            }
            fillWithin(pageFor(pa, (int) length), first, (int) length, source, pattern);
            return;
        }
        for (long i = 0; i < length; ) {
            long at = pa + i;
            int off = offset(at);
            int span = (int) Math.min(PAGE - off, length - i);
            int phase = (int) (i & 3);
            if (span == PAGE && phase == 0) {
                share(at, source);
            } else if (pageOrNull(at) != source || ((off - phase) & 3) != 0) {
                System.arraycopy(source, phase, pageFor(at, span), off, span);
            }
            i += span;
        }
    }

    /**
     * The offset of the first byte in {@code [pa, pa + length)} that differs from the repeating
     * pattern (as {@link #fillPattern32} writes it), or -1 if the whole range holds the pattern.
     * A page still backed by the shared pattern page is known to hold it without a look.
     */
    public long mismatchPattern32(long pa, long length, int pattern) {
        check(pa, length);
        if (length == 0) {
            return -1;
        }
        byte[] expected = patternPage(pattern);
        int first = offset(pa);
        if (length <= PAGE - first) { // inside one page: a slab object, or one whole page
            byte @Nullable [] page = pageOrNull(pa);
            if (page == expected && (first & 3) == 0) {
                return -1;
            }
            return page == null ? (pattern == 0 ? -1 : 0) : mismatchWithin(page, first, (int) length, expected, pattern);
        }
        for (long i = 0; i < length; ) {
            long at = pa + i;
            int off = offset(at);
            int span = (int) Math.min(PAGE - off, length - i);
            int phase = (int) (i & 3);
            byte @Nullable [] page = pageOrNull(at);
            int found;
            if (page == null) {
                found = pattern == 0 ? -1 : 0;
            } else if (page == expected && ((off - phase) & 3) == 0) {
                found = -1;
            } else {
                found = Arrays.mismatch(page, off, off + span, expected, phase, phase + span);
            }
            if (found >= 0) {
                return i + found;
            }
            i += span;
        }
        return -1;
    }

    /** Below this many bytes a word loop beats an array copy or a vectorised compare. */
    private static final int WORD_LOOP_MAX = 64;

    /** Writes the pattern (phase 0 at {@code off}) over {@code [off, off + length)} of one page's backing. */
    private static void fillWithin(byte[] page, int off, int length, byte[] source, int pattern) {
        if (length > WORD_LOOP_MAX) {
            System.arraycopy(source, 0, page, off, length);
            return;
        }
        long word = (pattern & 0xFFFF_FFFFL) | (long) pattern << 32;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            U64.set(page, off + i, word);
        }
        for (; i < length; i++) {
            page[off + i] = (byte) (pattern >>> (8 * (i & 3)));
        }
    }

    /** The first byte of {@code [off, off + length)} of one page's backing that is not the pattern (phase 0 at {@code off}), or -1. */
    private static int mismatchWithin(byte[] page, int off, int length, byte[] expected, int pattern) {
        if (length > WORD_LOOP_MAX) {
            return Arrays.mismatch(page, off, off + length, expected, 0, length);
        }
        long word = (pattern & 0xFFFF_FFFFL) | (long) pattern << 32;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            long diff = (long) U64.get(page, off + i) ^ word;
            if (diff != 0) {
                return i + (Long.numberOfTrailingZeros(diff) >>> 3);
            }
        }
        for (; i < length; i++) {
            if (page[off + i] != (byte) (pattern >>> (8 * (i & 3)))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The shared, read-only page of {@code pattern} (phase 0 at index 0; 4 spare bytes so a copy
     * may start at any phase). Its length is not {@link #PAGE}, which is how a store recognises a
     * page it must copy first. A few recent patterns are cached.
     */
    private byte[] patternPage(int pattern) {
        for (int k = 0; k < patternCount; k++) {
            if (patternValues[k] == pattern) {
                byte @Nullable [] cached = patternPages[k];
                if (cached != null) {
                    return cached;
                }
            }
        }
        byte[] bytes = new byte[PAGE + 4];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (pattern >>> (8 * (i & 3)));
        }
        int slot = patternCount < patternPages.length ? patternCount++ : (int) (patternEvictions++ % patternPages.length);
        patternPages[slot] = bytes;
        patternValues[slot] = pattern;
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
            } else if (pageOrNull(at) != null) {
                Arrays.fill(pageFor(at, (int) span), off, off + (int) span, (byte) 0);
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
            } else if (src.length != PAGE && span == PAGE) {
                share(to + i, src); // a whole shared pattern page: the copy shares it too
            } else {
                System.arraycopy(src, offset(from + i), pageFor(to + i, (int) span), offset(to + i), (int) span);
            }
            i += span;
        }
    }

    /**
     * The non-zero words of the array of {@code count} little-endian words of {@code width} bytes
     * (4 or 8) at {@code pa}, which must lie within one page: their indexes into {@code indexes} and
     * values into {@code values}, in order; returns how many. A page-table node's scan for valid
     * entries: one bounds check and one lookup of the backing page for the whole node, and an
     * untouched page answers at once.
     */
    public int nonZeroWords(long pa, int width, int count, int[] indexes, long[] values) {
        if (width != 4 && width != 8) {
            throw new IllegalArgumentException("word width " + width + " must be 4 or 8");
        }
        long length = (long) count * width;
        check(pa, length);
        if (offset(pa) + length > PAGE) {
            throw new IllegalArgumentException(String.format("[%s, +%d) crosses a page boundary", PhysAddr.hex(pa), length));
        }
        java.util.Objects.checkFromIndexSize(0, count, Math.min(indexes.length, values.length));
        byte @Nullable [] page = pageOrNull(pa);
        if (page == null) {
            return 0;
        }
        int off = offset(pa);
        int end = off + (int) length;
        int n = 0;
        int i = 0;
        while (i < count) {
            int word = off + i * width;
            long v = width == 8 ? (long) U64.get(page, word) : (int) U32.get(page, word) & 0xFFFF_FFFFL;
            if (v != 0) { // dense runs are read word by word
                indexes[n] = i;
                values[n++] = v;
                i++;
                continue;
            }
            int skip = Arrays.mismatch(page, word, end, ZERO_PAGE, 0, end - word); // a run of zeros: skipped vectorised
            if (skip < 0) {
                break;
            }
            i = (word + skip - off) / width;
        }
        return n;
    }

    /**
     * Writes {@code values[k]} as the {@code indexes[k]}th little-endian word of {@code width} bytes
     * (4 or 8) of the array of {@code entries} words at {@code pa}, for k below {@code count}: a
     * page-table node filled in one pass (the array must lie within one page).
     */
    public void writeWords(long pa, int width, int entries, int[] indexes, long[] values, int count) {
        if (width != 4 && width != 8) {
            throw new IllegalArgumentException("word width " + width + " must be 4 or 8");
        }
        long length = (long) entries * width;
        check(pa, length);
        if (offset(pa) + length > PAGE) {
            throw new IllegalArgumentException(String.format("[%s, +%d) crosses a page boundary", PhysAddr.hex(pa), length));
        }
        java.util.Objects.checkFromIndexSize(0, count, Math.min(indexes.length, values.length));
        if (count == 0) {
            return;
        }
        byte[] page = pageFor(pa, (int) length);
        int off = offset(pa);
        for (int k = 0; k < count; k++) {
            int i = java.util.Objects.checkIndex(indexes[k], entries);
            if (width == 8) {
                U64.set(page, off + i * 8, values[k]);
            } else {
                U32.set(page, off + i * 4, (int) values[k]);
            }
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
                Arrays.fill(into, at + i, at + i + span, (byte) 0);
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

    /** A cache of where up to {@code slots} pages live, for a reader that reads the same pages again and again. */
    public PageViews views(int slots) {
        return new PageViews(this, slots);
    }

    /** How many times a page's backing array was replaced or dropped so far ({@link PageViews} checks it). */
    long backingChanges() {
        return backingChanges;
    }

    /** The array backing the page of {@code pa}, or the zero page if it has none: for reading only. */
    byte[] backingOrZero(long pa) {
        byte @Nullable [] page = pageOrNull(pa);
        return page == null ? ZERO_PAGE : page;
    }

    static byte[] zeroPage() {
        return ZERO_PAGE;
    }

    void check(long pa, long length) {
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

    /**
     * The private backing of the page holding {@code pa}, made if there is none (a recycled page
     * refilled, or a new one) or copied from a shared pattern page, with the lines of
     * {@code [pa, pa + length)} marked written ({@code length} stays within the page).
     */
    private byte[] pageFor(long pa, int length) {
        long page = (pa - base) >>> PhysAddr.PAGE_SHIFT;
        int c = (int) (page >>> CHUNK_SHIFT);
        byte @Nullable [] @Nullable [] chunk = chunks[c];
        long @Nullable [] lines = written[c];
        if (chunk == null || lines == null) {
            chunk = new byte[CHUNK_PAGES] @Nullable [];
            chunks[c] = chunk;
            lines = new long[CHUNK_PAGES];
            written[c] = lines;
        }
        int p = (int) (page & (CHUNK_PAGES - 1));
        byte @Nullable [] bytes = chunk[p];
        if (bytes == null) {
            bytes = freshPage();
            chunk[p] = bytes;
            lines[p] = 0;
            touchedPages++;
            backingChanges++;
        } else if (bytes.length != PAGE) {
            bytes = Arrays.copyOf(bytes, PAGE); // a shared pattern page: the first store copies it
            chunk[p] = bytes;
            lines[p] = -1L;
            backingChanges++;
        }
        int off = offset(pa);
        lines[p] |= (off & 63) + length <= 64 ? 1L << (off >>> 6) : lineSpan(off, length); // one line: a word store
        return bytes;
    }

    /** The bits of the 64-byte lines {@code [off, off + length)} covers. */
    private static long lineSpan(int off, int length) {
        int firstLine = off >>> 6;
        int lastLine = (off + Math.max(length, 1) - 1) >>> 6;
        return lastLine >= 63 ? -1L << firstLine : (2L << lastLine) - (1L << firstLine);
    }

    /** Backs the page holding {@code pa} with the shared read-only {@code pattern} page. */
    private void share(long pa, byte[] pattern) {
        long page = (pa - base) >>> PhysAddr.PAGE_SHIFT;
        int c = (int) (page >>> CHUNK_SHIFT);
        byte @Nullable [] @Nullable [] chunk = chunks[c];
        if (chunk == null || written[c] == null) {
            chunk = new byte[CHUNK_PAGES] @Nullable [];
            chunks[c] = chunk;
            written[c] = new long[CHUNK_PAGES];
        }
        int p = (int) (page & (CHUNK_PAGES - 1));
        if (chunk[p] == null) {
            touchedPages++;
        }
        chunk[p] = pattern;
        backingChanges++;
    }

    /** A zeroed page of backing: a spare one refilled, or a new one. */
    private byte[] freshPage() {
        if (spareCount == 0) {
            return new byte[PAGE];
        }
        byte @Nullable [] bytes = spares[--spareCount];
        spares[spareCount] = null;
        if (bytes == null) {
            throw new IllegalStateException("spare page " + spareCount + " missing");
        }
        long lines = spareWritten[spareCount];
        if (lines == -1L) {
            Arrays.fill(bytes, (byte) 0);
        } else {
            for (; lines != 0; lines &= lines - 1) { // only the lines written in its last life
                int line = Long.numberOfTrailingZeros(lines);
                Arrays.fill(bytes, line << 6, (line + 1) << 6, (byte) 0);
            }
        }
        return bytes;
    }

    private void dropPage(long pa) {
        long page = (pa - base) >>> PhysAddr.PAGE_SHIFT;
        byte @Nullable [] @Nullable [] chunk = chunks[(int) (page >>> CHUNK_SHIFT)];
        int p = (int) (page & (CHUNK_PAGES - 1));
        byte @Nullable [] bytes = chunk == null ? null : chunk[p];
        long @Nullable [] lines = written[(int) (page >>> CHUNK_SHIFT)];
        if (chunk != null && bytes != null) {
            chunk[p] = null;
            touchedPages--;
            backingChanges++;
            if (bytes.length == PAGE && spareCount < spares.length) { // a private page (never a shared pattern page)
                spareWritten[spareCount] = lines == null ? -1L : lines[p];
                spares[spareCount++] = bytes;
            }
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
