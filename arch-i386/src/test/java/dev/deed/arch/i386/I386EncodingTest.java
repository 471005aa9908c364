package dev.deed.arch.i386;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.paging.Access;
import dev.deed.paging.CachePolicy;
import dev.deed.paging.FaultKind;
import dev.deed.paging.MmuControl;
import dev.deed.paging.PageProperty;
import dev.deed.paging.Privilege;
import dev.deed.paging.spi.Entry;
import org.junit.jupiter.api.Test;

/** i386 PDEs, PTEs and CR3, bit for bit (Intel SDM Vol. 3A §4.3). */
class I386EncodingTest {
    private final I386Paging i386 = new I386Paging();
    private final MmuControl control = MmuControl.defaults();

    @Test
    void entriesAreEncodedExactly() {
        // 4 MiB page: P|R/W|U/S (0x7) | PS 0x80 | G 0x100 | AVL bit 9 (tracked) 0x200
        assertEquals(0x0040_0387L, i386.encodeLeaf(0x0040_0000L, PageProperty.parse("rwug"), true, 1));
        // 4 KiB page, read/write, accessed: P|R/W|A
        assertEquals(0x1234_5023L, i386.encodeLeaf(0x1234_5000L, PageProperty.parse("rwa"), false, 0));
        // cache policies: PWT bit 3, PCD bit 4
        assertEquals(0x1000_0009L, i386.encodeLeaf(0x1000_0000L, PageProperty.parse("r").withCache(CachePolicy.WRITE_THROUGH), false, 0));
        assertEquals(0x1000_0011L, i386.encodeLeaf(0x1000_0000L, PageProperty.parse("r").withCache(CachePolicy.UNCACHED), false, 0));
        assertEquals(0x0010_1007L, i386.encodeTable(0x0010_1000L), "tables grant everything; leaves decide");
    }

    @Test
    void cr3HoldsTheDirectoryAddress() {
        assertEquals(0x0010_1000L, i386.rootRegister(0x0010_1000L, 0));
        assertEquals(0x0010_1000L, i386.rootTable(0x0010_1018L), "PWT/PCD are not address bits");
        assertThrows(IllegalArgumentException.class, () -> i386.rootRegister(0x0010_1000L, 1), "no ASIDs");
        assertThrows(IllegalArgumentException.class, () -> i386.rootRegister(1L << 32, 0));
    }

    @Test
    void decodingHonoursPseAndReservedBits() {
        long pde = 0x0040_0087L;
        assertEquals(0x0040_0000L, ((Entry.Leaf) i386.decode(pde, 1, control)).pa());
        assertEquals(new Entry.Table(0x0040_0000L, true, true), i386.decode(pde, 1, control.withPse(false)),
                "without CR4.PSE the PS bit is ignored");
        assertEquals(FaultKind.RESERVED_BITS, ((Entry.Malformed) i386.decode(pde | 0x2000, 1, control)).kind(), "bit 13");
        Entry.Leaf pte = (Entry.Leaf) i386.decode(0x1234_5265L, 0, control);
        assertTrue(pte.props().read() && pte.props().execute() && !pte.props().write() && pte.props().user());
        assertTrue(pte.props().accessed() && pte.props().dirty() && pte.tracked());
        assertEquals(new Entry.Absent(), i386.decode(0xFFFF_FFFEL, 0, control));
    }

    @Test
    void rightsAndCr0Wp() {
        PageProperty readOnly = PageProperty.parse("ru");
        assertEquals(FaultKind.PERMISSION, i386.check(readOnly, Access.WRITE, Privilege.USER, control));
        assertEquals(FaultKind.PERMISSION, i386.check(readOnly, Access.WRITE, Privilege.SUPERVISOR, control));
        assertEquals(null, i386.check(readOnly, Access.WRITE, Privilege.SUPERVISOR, control.withWriteProtect(false)));
        assertEquals(FaultKind.SUPERVISOR_PAGE_FROM_USER, i386.check(PageProperty.parse("rw"), Access.READ, Privilege.USER, control));
        assertEquals(null, i386.check(readOnly, Access.EXECUTE, Privilege.USER, control), "no NX without PAE");
        assertTrue(i386.rightsAccumulate());
        assertFalse(i386.isCanonical(1L << 32));
        assertThrows(IllegalArgumentException.class, () -> i386.encodeLeaf(0x1000, PageProperty.parse("w"), false, 0));
        assertThrows(IllegalArgumentException.class, () -> i386.encodeLeaf(0x1000, PageProperty.parse("r"), false, 1));
    }

    /** #PF error codes as Intel SDM Vol. 3A §4.7 defines them, CR2 the address; decoded back for the handler. */
    @Test
    void pageFaultsTrapWithTheErrorCodeAndCr2() {
        var notPresentUserRead = i386.pageFaultTrap(FaultKind.NOT_PRESENT, 0x4000_1008L, Access.READ, Privilege.USER);
        assertEquals(0b100, notPresentUserRead.cause(), "U/S only: P=0 (not present), W/R=0 (a read)");
        assertEquals(0x4000_1008L, notPresentUserRead.value(), "CR2");
        assertEquals(0b111, i386.pageFaultTrap(FaultKind.PERMISSION, 0x1_0000, Access.WRITE, Privilege.USER).cause(),
                "a user write to a present read-only page: P|W/R|U/S");
        assertEquals(0b010, i386.pageFaultTrap(FaultKind.NOT_PRESENT, 0xC000_0000L, Access.WRITE, Privilege.SUPERVISOR).cause());
        assertEquals(0b1101, i386.pageFaultTrap(FaultKind.RESERVED_BITS, 0x1000, Access.READ, Privilege.USER).cause(),
                "reserved bits: P|U/S|RSVD");
        assertEquals(0b100, i386.pageFaultTrap(FaultKind.NOT_PRESENT, 0x1000, Access.EXECUTE, Privilege.USER).cause(),
                "no I/D bit without PAE and NX: a fetch reports as a read");
        var decoded = i386.decodePageFault(new dev.deed.paging.spi.Trap(0b111, 0x2_0010L), Privilege.USER);
        assertEquals(new dev.deed.paging.spi.DecodedFault(0x2_0010L, Access.WRITE, true, true), decoded);
        assertEquals(new dev.deed.paging.spi.DecodedFault(0x1000, Access.READ, false, false),
                i386.decodePageFault(new dev.deed.paging.spi.Trap(0, 0x1000), Privilege.SUPERVISOR));
    }

    /** The whole-table walks' allocation-free tests agree with decode on every entry, and write-protect clears only R/W. */
    @Test
    void trackedLeafFrameAgreesWithDecodeAndWriteProtectClearsOnlyRw() {
        java.util.Random random = new java.util.Random(17);
        for (int n = 0; n < 200_000; n++) {
            long pte = random.nextLong() & 0xFFFF_FFFFL;
            if (n % 2 == 0) {
                pte |= 1 | 1L << 9; // present and tracked half the time, so leaves are common
            }
            for (int level = 0; level < 2; level++) {
                Entry e = i386.decode(pte, level, control);
                long expected = e instanceof Entry.Leaf leaf && leaf.tracked() ? leaf.pa() : -1;
                assertEquals(expected, i386.trackedLeafFrame(pte, level), String.format("pte 0x%x at level %d: %s", pte, level, e));
                if (e instanceof Entry.Leaf leaf) {
                    long readOnly = i386.writeProtect(pte);
                    assertEquals(new Entry.Leaf(leaf.pa(), new PageProperty(true, false, true, leaf.props().user(), leaf.props().global(),
                            leaf.props().accessed(), leaf.props().dirty(), leaf.props().cache()), leaf.tracked()),
                            i386.decode(readOnly, level, control));
                    assertEquals(pte & ~0b10L, readOnly);
                }
            }
        }
    }
}
