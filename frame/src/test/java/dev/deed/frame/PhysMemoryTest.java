package dev.deed.frame;

import static dev.deed.frame.Expect.thrown;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.frame.mem.PageViews;
import dev.deed.frame.mem.PhysMemory;
import org.junit.jupiter.api.Test;

class PhysMemoryTest {
    private static final long BASE = TestMachines.RISCV64_RAM_BASE;
    private final PhysMemory mem = new PhysMemory(TestMachines.riscv64(64L << 20));

    @Test
    void untouchedMemoryReadsZeroAndCostsNoBacking() {
        assertEquals(0, mem.readU64(BASE + 0x12345 * 8));
        mem.writeU64(BASE, 0); // writing zero to an untouched page keeps it untouched
        assertEquals(0, mem.touchedPages());
        assertFalse(mem.isTouched(BASE));
    }

    @Test
    void loadsAndStoresAreLittleEndianAtEveryWidth() {
        mem.writeU64(BASE + 8, 0x1122_3344_5566_7788L);
        assertEquals(0x88, mem.readU8(BASE + 8));
        assertEquals(0x7788, mem.readU16(BASE + 8));
        assertEquals(0x5566_7788L, mem.readU32(BASE + 8));
        assertEquals(0x1122_3344L, mem.readU32(BASE + 12));
        mem.writeU32(BASE + 100, 0xFAAB_CAFEL);
        assertEquals(0xFAAB_CAFEL, mem.readU32(BASE + 100));
        mem.writeU16(BASE + 200, 0xBEEF);
        assertEquals(0xEF, mem.readU8(BASE + 200));
        assertEquals(1, mem.touchedPages());
    }

    @Test
    void accessesMayStraddlePages() {
        long at = BASE + 4096 - 3;
        mem.writeU64(at, 0x0102_0304_0506_0708L);
        assertEquals(0x0102_0304_0506_0708L, mem.readU64(at));
        assertEquals(0x08, mem.readU8(at));
        assertEquals(0x01, mem.readU8(at + 7));
        assertEquals(2, mem.touchedPages());
    }

    @Test
    void zeroingWholePagesGivesBackingBack() {
        mem.fillPattern32(BASE, 3 * 4096, 0xFAABCAFE);
        assertEquals(3, mem.touchedPages());
        assertEquals(0xFAAB_CAFE_FAAB_CAFEL, mem.readU64(BASE + 4096));
        mem.zero(BASE, 2 * 4096 + 8);
        assertEquals(1, mem.touchedPages(), "the partial third page keeps its backing");
        assertEquals(0, mem.readU64(BASE + 2 * 4096));
        assertEquals(0xFAAB_CAFEL, mem.readU32(BASE + 2 * 4096 + 8));
    }

    @Test
    void patternFillsStartAtAnyAddressAndMismatchesAreFound() {
        mem.fillPattern32(BASE + 4094, 10, 0xFAABCAFE); // crosses a page boundary
        assertEquals(0xFE, mem.readU8(BASE + 4094));
        assertEquals(0xFAAB_CAFEL, mem.readU32(BASE + 4094));
        assertEquals(0xFAAB_CAFEL, mem.readU32(BASE + 4098));
        assertEquals(-1, mem.mismatchPattern32(BASE + 4094, 10, 0xFAABCAFE));
        mem.writeU8(BASE + 4101, 0);
        assertEquals(7, mem.mismatchPattern32(BASE + 4094, 10, 0xFAABCAFE));
        assertEquals(0, mem.mismatchPattern32(BASE + 8 * 4096, 64, 0xFAABCAFE), "untouched memory is zero, not poison");
        assertEquals(-1, mem.mismatchPattern32(BASE + 8 * 4096, 64, 0));
    }

    @Test
    void wholePoisonedPagesShareTheirPatternUntilAStoreGivesOneACopy() {
        mem.fillPattern32(BASE, 3 * 4096, 0xFAABCAFE); // three whole pages: shared pattern backing
        mem.writeU8(BASE + 4096 + 37, 0x42);             // a write after free into the middle page
        assertEquals(0x42, mem.readU8(BASE + 4096 + 37));
        assertEquals(0xFAAB_CAFE_FAAB_CAFEL, mem.readU64(BASE + 32), "the other pages still read the pattern");
        assertEquals(0xFAAB_CAFE_FAAB_CAFEL, mem.readU64(BASE + 2 * 4096 + 32));
        assertEquals(-1, mem.mismatchPattern32(BASE, 4096, 0xFAABCAFE));
        assertEquals(4096 + 37, mem.mismatchPattern32(BASE, 3 * 4096, 0xFAABCAFE), "the exact byte, not the page");
        assertEquals(-1, mem.mismatchPattern32(BASE + 2 * 4096, 4096, 0xFAABCAFE));
        assertEquals(3, mem.touchedPages());
    }

    @Test
    void partialFillsZeroesAndCopiesOfSharedPagesStayExact() {
        mem.fillPattern32(BASE, 2 * 4096, 0xFAABCAFE);
        mem.fillPattern32(BASE + 6, 8, 0x11223344); // another pattern, at another phase, inside a shared page
        assertEquals(0x11223344L, mem.readU32(BASE + 6));
        assertEquals(0xCAFEL, mem.readU16(BASE + 4), "bytes before the fill keep the first pattern");
        assertEquals(0xFAABL, mem.readU16(BASE + 14), "bytes after it too");
        assertEquals(0xFAAB_CAFEL, mem.readU32(BASE + 4096 + 4), "the page that shared the pattern is untouched");
        mem.zero(BASE + 4096 + 8, 8);
        assertEquals(0, mem.readU64(BASE + 4096 + 8));
        assertEquals(0xFAAB_CAFEL, mem.readU32(BASE + 4096 + 16));
        mem.copy(BASE + 4096, BASE + 5 * 4096, 4096);
        assertEquals(0, mem.readU64(BASE + 5 * 4096 + 8));
        mem.fillPattern32(BASE + 7 * 4096, 4096, 0xFAABCAFE);
        mem.copy(BASE + 7 * 4096, BASE + 9 * 4096, 4096);  // a copy of a shared page shares it
        mem.writeU8(BASE + 9 * 4096 + 5, 1);
        assertEquals(0xFAAB_CAFEL, mem.readU32(BASE + 7 * 4096 + 4), "a store into the copy leaves the source alone");
        assertEquals(-1, mem.mismatchPattern32(BASE + 7 * 4096, 4096, 0xFAABCAFE));
        assertEquals(5, mem.mismatchPattern32(BASE + 9 * 4096, 4096, 0xFAABCAFE));
    }

    @Test
    void aFillThatStartsOffPhaseIsCheckedAtItsOwnPhase() {
        mem.fillPattern32(BASE, 4096, 0xFAABCAFE);
        assertEquals(-1, mem.mismatchPattern32(BASE + 8, 64, 0xFAABCAFE));
        assertEquals(0, mem.mismatchPattern32(BASE + 1, 64, 0xFAABCAFE), "a phase-1 pattern differs at once");
        mem.fillPattern32(BASE + 1, 64, 0xFAABCAFE);
        assertEquals(-1, mem.mismatchPattern32(BASE + 1, 64, 0xFAABCAFE));
        assertEquals(0xFEL, mem.readU8(BASE + 1));
        assertEquals(-1, mem.mismatchPattern32(BASE + 20 * 4096, 0, 0xFAABCAFE), "an empty range holds any pattern");
        mem.fillPattern32(BASE + 20 * 4096, 0, 0xFAABCAFE);
        assertFalse(mem.isTouched(BASE + 20 * 4096), "an empty fill touches nothing");
        for (int size = 1; size <= 80; size++) { // the word loop's tail and the array paths, at every length
            long at = BASE + 21 * 4096 + 4 * size;
            mem.fillPattern32(at, size, 0x0A0B0C0D);
            assertEquals(-1, mem.mismatchPattern32(at, size, 0x0A0B0C0D), "size " + size);
            mem.writeU8(at + size - 1, 0xEE);
            assertEquals(size - 1, mem.mismatchPattern32(at, size, 0x0A0B0C0D), "size " + size);
        }
        for (int pattern = 1; pattern <= 6; pattern++) { // more patterns than the cache keeps
            mem.fillPattern32(BASE + pattern * 4096L, 4096, pattern);
        }
        for (int pattern = 1; pattern <= 6; pattern++) {
            assertEquals(-1, mem.mismatchPattern32(BASE + pattern * 4096L, 4096, pattern), "pattern " + pattern);
            assertEquals(pattern, mem.readU32(BASE + pattern * 4096L + 100));
        }
    }

    @Test
    void copyAndBulkRead() {
        mem.writeU64(BASE + 16, 42);
        mem.copy(BASE, BASE + 8192, 4096);
        assertEquals(42, mem.readU64(BASE + 8192 + 16));
        mem.copy(BASE + 4096 * 5, BASE + 8192, 4096); // untouched source zeroes the target
        assertEquals(0, mem.readU64(BASE + 8192 + 16));
        byte[] out = new byte[10];
        mem.writeU8(BASE + 4095, 7);
        mem.writeU8(BASE + 4096, 9);
        mem.read(BASE + 4094, out, 0, 4);
        assertArrayEquals(new byte[] {0, 7, 9, 0, 0, 0, 0, 0, 0, 0}, out);
        thrown(IllegalArgumentException.class, () -> mem.copy(BASE, BASE + 8, 16), "overlap");
    }

    @Test
    void accessOutsideRamIsRejectedNamingTheAddress() {
        thrown(InvalidAddressException.class, () -> mem.readU64(0x1000), "[0x1000, +8)", "outside RAM [0x80000000, 0x84000000)");
        thrown(InvalidAddressException.class, () -> mem.writeU32(BASE + (64L << 20) - 2, 1), "0x83fffffe");
        thrown(InvalidAddressException.class, () -> mem.zero(BASE, -1), "+-1");
        assertTrue(mem.touchedPages() == 0);
    }

    /**
     * A page view reads what the memory holds now, whatever happened to the page's backing since the
     * view remembered it: a first store, the page dropped by zeroing, shared with a poison pattern,
     * copied by the store after that. A read a view cannot serve (across a page) or outside RAM goes
     * to the memory, and is refused there the same way.
     */
    @Test
    void aPageViewReadsThePageAsItIsNowAfterEveryChangeOfItsBacking() {
        PageViews views = mem.views(2);
        long pa = BASE + 3 * 4096 + 16;
        assertEquals(0, views.readU64(0, pa), "an untouched page");
        mem.writeU64(pa, 0x1122_3344_5566_7788L); // the first store gives the page backing
        assertEquals(0x1122_3344_5566_7788L, views.readU64(0, pa));
        assertEquals(0x5566_7788L, views.readU32(1, pa));
        mem.writeU64(pa, 42); // same backing: the view sees the store
        assertEquals(42, views.readU64(0, pa));
        mem.zero(BASE + 3 * 4096, 4096); // the backing is dropped (and kept for reuse with its old bytes)
        assertEquals(0, views.readU64(0, pa));
        mem.fillPattern32(BASE + 3 * 4096, 4096, 0xFAABCAFE); // shares the pattern page
        assertEquals(0xFAABCAFEL, views.readU32(1, pa));
        mem.writeU32(pa, 7); // copies it
        assertEquals(7, views.readU32(1, pa));
        assertEquals(0xFAABCAFEL, views.readU32(0, pa + 4), "the copy keeps the rest of the pattern");
        mem.writeU64(BASE + 4096 - 4, 0x0102_0304_0506_0708L);
        assertEquals(0x0102_0304_0506_0708L, views.readU64(0, BASE + 4096 - 4), "across a page: read through the memory");
        thrown(InvalidAddressException.class, () -> views.readU64(1, 0x1000), "[0x1000, +8)", "outside RAM");
        thrown(IllegalArgumentException.class, () -> mem.views(0), "at least one slot");
    }

    /** A page-table node's scan: every non-zero word in order, at both widths; an untouched page has none; bad arguments refused. */
    @Test
    void nonZeroWordsFindsEveryNonZeroWordInOrder() {
        int[] at = new int[1024];
        long[] values = new long[1024];
        long node = BASE + 5 * 4096;
        assertEquals(0, mem.nonZeroWords(node, 8, 512, at, values), "an untouched page");
        mem.writeU64(node, 7);
        mem.writeU64(node + 8 * 300, -1);
        mem.writeU64(node + 8 * 511, 1L << 63);
        assertEquals(3, mem.nonZeroWords(node, 8, 512, at, values));
        assertArrayEquals(new int[] {0, 300, 511}, java.util.Arrays.copyOf(at, 3));
        assertArrayEquals(new long[] {7, -1, 1L << 63}, java.util.Arrays.copyOf(values, 3));
        assertEquals(4, mem.nonZeroWords(node, 4, 1024, at, values), "as 32-bit words: 7, the two halves of -1, the top of 1 << 63");
        assertArrayEquals(new int[] {0, 600, 601, 1023}, java.util.Arrays.copyOf(at, 4));
        assertEquals(0xFFFF_FFFFL, values[1], "a 32-bit word is read unsigned");
        thrown(IllegalArgumentException.class, () -> mem.nonZeroWords(node + 8, 8, 512, at, values), "crosses a page");
        thrown(IllegalArgumentException.class, () -> mem.nonZeroWords(node, 2, 8, at, values), "width 2");
        thrown(IndexOutOfBoundsException.class, () -> mem.nonZeroWords(node, 8, 512, new int[4], values));
        long other = BASE + 9 * 4096;
        mem.writeWords(other, 8, 512, new int[] {3, 500}, new long[] {0x1234, -2}, 2);
        assertEquals(2, mem.nonZeroWords(other, 8, 512, at, values), "writeWords fills a node in one pass");
        assertEquals(0x1234, mem.readU64(other + 24));
        assertEquals(-2, mem.readU64(other + 4000));
        mem.writeWords(other, 4, 1024, new int[] {1}, new long[] {0xAABB_CCDDL}, 1);
        assertEquals(0xAABB_CCDDL, mem.readU32(other + 4));
        thrown(IndexOutOfBoundsException.class, () -> mem.writeWords(other, 8, 512, new int[] {512}, new long[] {1}, 1));
    }

    /**
     * A page given back (zeroed whole) keeps its array for the next page written, refilled only
     * where it was written: whatever path wrote it — every width, a straddling store, a pattern fill
     * (whole page, then copied on a store; part of a page), a copy, words in bulk — the page that
     * reuses it reads zero everywhere but where it was written itself.
     */
    @Test
    void aRecycledPageReadsZeroWhateverWroteItBefore() {
        java.util.List<java.util.function.LongConsumer> writers = java.util.List.of(
                at -> mem.writeU8(at + 4095, 0xAB),
                at -> mem.writeU16(at + 64 * 7 + 63, 0xBEEF), // straddles two lines
                at -> mem.writeU32(at + 1000, 0xCAFEF00DL),
                at -> mem.writeU64(at + 4096 - 3, -1L), // straddles into the next page
                at -> mem.fillPattern32(at, 4096, 0xFAABCAFE), // the shared pattern page
                at -> {
                    mem.fillPattern32(at, 4096, 0xFAABCAFE);
                    mem.writeU8(at + 5, 1); // copied on this store: the whole page is written
                },
                at -> mem.fillPattern32(at + 100, 300, 0x5A5A5A5A),
                at -> {
                    mem.writeU64(at + 2 * 4096 + 8, 0x1122_3344_5566_7788L);
                    mem.copy(at + 2 * 4096, at + 512, 1024);
                },
                at -> mem.writeWords(at, 8, 512, new int[] {0, 17, 511}, new long[] {1, 2, 3}, 3));
        for (var writer : writers) {
            PhysMemory m = mem;
            long victim = BASE + 16 * 4096;
            writer.accept(victim);
            for (long page = 16; page < 19; page++) {
                m.zero(BASE + page * 4096, 4096); // gives the backing back, to be reused
            }
            long fresh = BASE + 40 * 4096;
            for (long page = 0; page < 3; page++) {
                m.writeU8(fresh + page * 4096 + 2048, 7); // each reuses a spare page
            }
            for (long page = 0; page < 3; page++) {
                for (int off = 0; off < 4096; off += 8) {
                    long expected = off == 2048 ? 7 : 0;
                    assertEquals(expected, m.readU64(fresh + page * 4096 + off),
                            "page " + page + " at +" + off + " after " + writers.indexOf(writer));
                }
                m.zero(fresh + page * 4096, 4096);
            }
        }
    }
}
