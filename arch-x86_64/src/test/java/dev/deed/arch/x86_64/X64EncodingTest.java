package dev.deed.arch.x86_64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.paging.Access;
import dev.deed.paging.CachePolicy;
import dev.deed.paging.FaultKind;
import dev.deed.paging.MmuControl;
import dev.deed.paging.PageProperty;
import dev.deed.paging.Privilege;
import dev.deed.paging.spi.DecodedFault;
import dev.deed.paging.spi.Entry;
import dev.deed.paging.spi.Trap;
import org.junit.jupiter.api.Test;

/** x86-64 PML4Es, PDPTEs, PDEs, PTEs and CR3, bit for bit (Intel SDM Vol. 3A §4.5, §4.7). */
class X64EncodingTest {
    private final X64Paging x64 = new X64Paging();
    private final MmuControl control = MmuControl.defaults();

    @Test
    void entriesAreEncodedExactly() {
        // 4 KiB page, rw, user, tracked (AVL bit 9), executable: P|R/W|U/S = 0x7, 0x200
        assertEquals(0x0000_1234_5678_9207L, x64.encodeLeaf(0x1234_5678_9000L, PageProperty.parse("rwxu"), true, 0));
        // the same without x: XD, bit 63
        assertEquals(0x8000_1234_5678_9207L, x64.encodeLeaf(0x1234_5678_9000L, PageProperty.parse("rwu"), true, 0));
        // 2 MiB page: PS bit 7; global bit 8
        assertEquals(0x0000_0000_4020_0183L, x64.encodeLeaf(0x4020_0000L, PageProperty.parse("rwxg"), false, 1));
        // 1 GiB page, read-only, accessed and dirty: P|A|D|PS
        assertEquals(0x8000_0000_C000_00E1L, x64.encodeLeaf(0xC000_0000L, PageProperty.parse("rad"), false, 2));
        assertEquals(0x0000_0000_1000_0009L, x64.encodeLeaf(0x1000_0000L, PageProperty.parse("rx").withCache(CachePolicy.WRITE_THROUGH),
                false, 0), "PWT, bit 3");
        assertEquals(0x0000_0000_1000_0011L, x64.encodeLeaf(0x1000_0000L, PageProperty.parse("rx").withCache(CachePolicy.UNCACHED),
                false, 0), "PCD, bit 4");
        assertEquals(0x0000_0000_0010_1007L, x64.encodeTable(0x0010_1000L), "tables grant everything; leaves decide");
        assertThrows(IllegalArgumentException.class, () -> x64.encodeLeaf(0x1000, PageProperty.parse("w"), false, 0), "readable");
        assertThrows(IllegalArgumentException.class, () -> x64.encodeLeaf(0x1000, PageProperty.parse("r"), false, 1), "2 MiB aligned");
        assertThrows(IllegalArgumentException.class, () -> x64.encodeLeaf(0, PageProperty.parse("r"), false, 3), "no 512 GiB pages");
        assertThrows(IllegalArgumentException.class, () -> x64.encodeLeaf(1L << 46, PageProperty.parse("r"), false, 0), "MAXPHYADDR");
    }

    @Test
    void cr3HoldsThePml4AndAPcid() {
        assertEquals(0x0010_1000L | 42, x64.rootRegister(0x0010_1000L, 42));
        assertEquals(0x0010_1000L, x64.rootTable(0x0010_1000L | 42));
        assertEquals(42, x64.asidOf(0x0010_1000L | 42));
        assertEquals(4096, x64.asidCount());
        assertThrows(IllegalArgumentException.class, () -> x64.rootRegister(0x0010_1000L, 4096), "12-bit PCIDs");
        assertEquals(-1, x64.rootTable(1L << 50 | 0x1000), "an address above MAXPHYADDR enables nothing");
    }

    @Test
    void decodingHonoursPsXdAndReservedBits() {
        assertEquals(new Entry.Table(0x2000, true, true, false), x64.decode(0x8000_0000_0000_2007L, 3, control),
                "XD in a table entry forbids execution below it");
        assertEquals(FaultKind.RESERVED_BITS, ((Entry.Malformed) x64.decode(0x2087L, 3, control)).kind(), "PS in a PML4E");
        Entry.Leaf huge = (Entry.Leaf) x64.decode(0x4000_0083L, 2, control);
        assertEquals(0x4000_0000L, huge.pa());
        assertEquals(FaultKind.RESERVED_BITS, ((Entry.Malformed) x64.decode(0x4000_2083L, 2, control)).kind(), "bit 13 of a 1 GiB PDPTE");
        assertEquals(FaultKind.RESERVED_BITS, ((Entry.Malformed) x64.decode(0x0020_2083L, 1, control)).kind(), "bit 13 of a 2 MiB PDE");
        assertEquals(0x0020_0000L, ((Entry.Leaf) x64.decode(0x0020_1083L, 1, control)).pa(), "bit 12 is PAT, not address");
        assertEquals(FaultKind.RESERVED_BITS, ((Entry.Malformed) x64.decode(1L << 46 | 0x1003, 0, control)).kind(), "bit 46");
        Entry.Leaf pte = (Entry.Leaf) x64.decode(0x8000_0000_1234_5265L, 0, control);
        assertTrue(pte.props().read() && !pte.props().execute() && !pte.props().write() && pte.props().user());
        assertTrue(pte.props().accessed() && pte.props().dirty() && pte.tracked());
        assertEquals(0x1234_5000L, pte.pa());
        assertEquals(new Entry.Absent(), x64.decode(0xFFFF_FFFF_FFFF_FFFEL, 0, control));
        assertTrue(x64.isCanonical(0x7FFF_FFFF_FFFFL) && x64.isCanonical(0xFFFF_8000_0000_0000L));
        assertFalse(x64.isCanonical(0x8000_0000_0000L) || x64.isCanonical(0xFFFF_7FFF_FFFF_FFFFL));
    }

    @Test
    void rightsNxAndCr0Wp() {
        PageProperty readOnly = PageProperty.parse("ru");
        assertEquals(FaultKind.PERMISSION, x64.check(readOnly, Access.WRITE, Privilege.USER, control));
        assertEquals(FaultKind.PERMISSION, x64.check(readOnly, Access.WRITE, Privilege.SUPERVISOR, control));
        assertNull(x64.check(readOnly, Access.WRITE, Privilege.SUPERVISOR, control.withWriteProtect(false)));
        assertEquals(FaultKind.PERMISSION, x64.check(readOnly, Access.EXECUTE, Privilege.USER, control), "XD");
        assertNull(x64.check(PageProperty.parse("rxu"), Access.EXECUTE, Privilege.USER, control));
        assertEquals(FaultKind.SUPERVISOR_PAGE_FROM_USER, x64.check(PageProperty.parse("rw"), Access.READ, Privilege.USER, control));
        assertTrue(x64.rightsAccumulate());
    }

    /** #PF error codes (Intel SDM Vol. 3A §4.7), with I/D for fetches now that there is NX; CR2 the whole address. */
    @Test
    void pageFaultsTrapWithTheErrorCodeAndCr2() {
        Trap read = x64.pageFaultTrap(FaultKind.NOT_PRESENT, 0x4000_1008L, Access.READ, Privilege.USER);
        assertEquals(0b100, read.cause());
        assertEquals(0x4000_1008L, read.value());
        assertEquals(0b111, x64.pageFaultTrap(FaultKind.PERMISSION, 0x1_0000, Access.WRITE, Privilege.USER).cause());
        assertEquals(0b1_0101, x64.pageFaultTrap(FaultKind.PERMISSION, 0x1_0000, Access.EXECUTE, Privilege.USER).cause(), "P|U/S|I/D");
        assertEquals(0b1101, x64.pageFaultTrap(FaultKind.RESERVED_BITS, 0x1000, Access.READ, Privilege.USER).cause(), "P|U/S|RSVD");
        assertEquals(0xFFFF_8000_0000_1000L, x64.pageFaultTrap(FaultKind.NOT_PRESENT, 0xFFFF_8000_0000_1000L, Access.READ,
                Privilege.SUPERVISOR).value(), "CR2 keeps all 64 bits");
        assertEquals(new DecodedFault(0x2_0010L, Access.EXECUTE, true, true),
                x64.decodePageFault(new Trap(0b1_0101, 0x2_0010L), Privilege.USER));
        assertEquals(new DecodedFault(0x2_0010L, Access.WRITE, false, false),
                x64.decodePageFault(new Trap(0b010, 0x2_0010L), Privilege.SUPERVISOR));
    }

    /** The whole-table walks' allocation-free tests agree with decode on every entry, and write-protect clears only R/W. */
    @Test
    void trackedLeafFrameAgreesWithDecodeAndWriteProtectClearsOnlyRw() {
        java.util.Random random = new java.util.Random(17);
        for (int n = 0; n < 200_000; n++) {
            long pte = random.nextLong();
            if (n % 2 == 0) {
                pte = pte & ~X64Paging.RESERVED_HIGH | 1 | 1L << 9; // present, tracked and well-formed half the time
            }
            if (n % 4 == 0) {
                pte &= ~(X64Paging.LOW_1G); // large pages' low address bits clear, so superpages are common
            }
            for (int level = 0; level < 4; level++) {
                Entry e = x64.decode(pte, level, control);
                long expected = e instanceof Entry.Leaf leaf && leaf.tracked() ? leaf.pa() : -1;
                assertEquals(expected, x64.trackedLeafFrame(pte, level), String.format("pte 0x%x at level %d: %s", pte, level, e));
                if (e instanceof Entry.Leaf leaf) {
                    long readOnly = x64.writeProtect(pte);
                    PageProperty p = leaf.props();
                    assertEquals(new Entry.Leaf(leaf.pa(), new PageProperty(true, false, p.execute(), p.user(), p.global(), p.accessed(),
                            p.dirty(), p.cache()), leaf.tracked()), x64.decode(readOnly, level, control));
                    assertEquals(pte & ~0b10L, readOnly);
                }
            }
        }
    }
}
