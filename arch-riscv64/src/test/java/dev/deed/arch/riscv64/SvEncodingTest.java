package dev.deed.arch.riscv64;

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

/** Sv39/Sv48 entries and satp, bit for bit (values worked out by hand from the Privileged Spec). */
class SvEncodingTest {
    private final Sv39 sv39 = new Sv39();
    private final Sv48 sv48 = new Sv48();
    private final MmuControl control = MmuControl.defaults();

    @Test
    void leavesAndTablesAreEncodedExactly() {
        // PPN 0x80200 << 10 = 0x20080000; V|R|W = 0x7; RSW bit 8 = tracked
        assertEquals(0x2008_0107L, sv39.encodeLeaf(0x8020_0000L, PageProperty.parse("rw"), true, 1));
        // X only, user, global, accessed, dirty: X 0x8 | U 0x10 | G 0x20 | A 0x40 | D 0x80 | V
        assertEquals(0x2008_00F9L, sv39.encodeLeaf(0x8020_0000L, PageProperty.parse("xugad"), false, 0));
        assertEquals(0x2010_0401L, sv39.encodeTable(0x8040_1000L));
        // a 1 GiB leaf at 0x1_0000_0000: PPN 0x100000 -> bits 30:10
        assertEquals(0x4000_0003L, sv39.encodeLeaf(0x1_0000_0000L, PageProperty.parse("r"), false, 2));
        assertEquals(0x4000_0003L, sv48.encodeLeaf(0x1_0000_0000L, PageProperty.parse("r"), false, 2));
    }

    @Test
    void satpHoldsModeAsidAndRootPpn() {
        assertEquals(0x8000_5000_0008_0400L, sv39.rootRegister(0x8040_0000L, 5));
        assertEquals(0x9000_5000_0008_0400L, sv48.rootRegister(0x8040_0000L, 5));
        assertEquals(0x8040_0000L, sv39.rootTable(0x8000_5000_0008_0400L));
        assertEquals(-1, sv39.rootTable(0x9000_5000_0008_0400L), "an Sv48 satp does not enable Sv39");
        assertEquals(5, sv48.asidOf(0x9000_5000_0008_0400L));
        assertThrows(IllegalArgumentException.class, () -> sv39.rootRegister(0x8040_0000L, 0x10000));
    }

    @Test
    void malformedEntriesAreRecognised() {
        assertEquals(new Entry.Absent(), sv39.decode(0x2008_0106L, 0, control), "V=0");
        assertEquals(FaultKind.RESERVED_BITS, ((Entry.Malformed) sv39.decode(1L << 54 | 0x3, 0, control)).kind());
        assertEquals(FaultKind.RESERVED_BITS, ((Entry.Malformed) sv39.decode(1L << 61 | 0x3, 0, control)).kind(), "PBMT");
        assertEquals(FaultKind.RESERVED_BITS, ((Entry.Malformed) sv39.decode(1L << 63 | 0x3, 0, control)).kind(), "N");
        assertEquals(FaultKind.WRITE_WITHOUT_READ, ((Entry.Malformed) sv39.decode(0x5, 0, control)).kind(), "W=1 R=0");
        assertEquals(FaultKind.WRITE_WITHOUT_READ, ((Entry.Malformed) sv39.decode(0xD, 0, control)).kind(), "110 too");
        assertEquals(FaultKind.RESERVED_BITS, ((Entry.Malformed) sv39.decode(0x41, 1, control)).kind(), "non-leaf with A");
        Entry.Leaf leaf = (Entry.Leaf) sv39.decode(0x2008_0107L, 1, control);
        assertEquals(0x8020_0000L, leaf.pa());
        assertTrue(leaf.tracked());
    }

    @Test
    void unencodableRightsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> sv39.encodeLeaf(0, PageProperty.parse("w"), false, 0));
        assertThrows(IllegalArgumentException.class, () -> sv39.encodeLeaf(0, PageProperty.parse("u"), false, 0));
        assertThrows(IllegalArgumentException.class,
                () -> sv39.encodeLeaf(0, PageProperty.parse("r").withCache(CachePolicy.UNCACHED), false, 0));
        assertThrows(IllegalArgumentException.class, () -> sv39.encodeLeaf(0x1000, PageProperty.parse("r"), false, 1));
        assertThrows(IllegalArgumentException.class, () -> sv39.encodeLeaf(0, PageProperty.parse("r"), false, 3));
        assertTrue(sv48.leafAllowed(3), "Sv48 has 512 GiB leaves");
    }

    @Test
    void canonicalAddressesSignExtendTheTopBit() {
        assertTrue(sv39.isCanonical(0x0000_003F_FFFF_FFFFL));
        assertFalse(sv39.isCanonical(0x0000_0040_0000_0000L));
        assertTrue(sv39.isCanonical(0xFFFF_FFC0_0000_0000L));
        assertFalse(sv39.isCanonical(0xFFFF_FF80_0000_0000L));
        assertTrue(sv48.isCanonical(0x0000_7FFF_FFFF_FFFFL));
        assertTrue(sv48.isCanonical(0xFFFF_8000_0000_0000L));
        assertFalse(sv48.isCanonical(0x0000_8000_0000_0000L));
    }

    @Test
    void userPagesAndSupervisorFollowSumAndMxr() {
        PageProperty user = PageProperty.parse("rwxu");
        assertEquals(FaultKind.USER_PAGE_FROM_SUPERVISOR, sv39.check(user, Access.READ, Privilege.SUPERVISOR, control));
        assertEquals(null, sv39.check(user, Access.WRITE, Privilege.SUPERVISOR, control.withSum(true)));
        assertEquals(FaultKind.USER_PAGE_FROM_SUPERVISOR, sv39.check(user, Access.EXECUTE, Privilege.SUPERVISOR, control.withSum(true)));
        assertEquals(FaultKind.SUPERVISOR_PAGE_FROM_USER, sv39.check(PageProperty.parse("r"), Access.READ, Privilege.USER, control));
        assertEquals(FaultKind.PERMISSION, sv39.check(PageProperty.parse("x"), Access.READ, Privilege.SUPERVISOR, control));
        assertEquals(null, sv39.check(PageProperty.parse("x"), Access.READ, Privilege.SUPERVISOR, control.withMxr(true)));
    }

    /** scause 12/13/15 by access kind and stval the address (Privileged Spec, Table 22); decoded back for the handler. */
    @Test
    void pageFaultsTrapWithScauseAndStval() {
        var load = sv39.pageFaultTrap(FaultKind.NOT_PRESENT, 0x4000_1008L, Access.READ, Privilege.USER);
        assertEquals(13, load.cause());
        assertEquals(0x4000_1008L, load.value(), "stval");
        assertEquals(15, sv39.pageFaultTrap(FaultKind.PERMISSION, 0x1_0000, Access.WRITE, Privilege.USER).cause(), "store/AMO");
        assertEquals(12, sv48.pageFaultTrap(FaultKind.PERMISSION, 0x1_0000, Access.EXECUTE, Privilege.USER).cause(), "fetch");
        assertEquals(new dev.deed.paging.spi.DecodedFault(0x2_0010L, Access.WRITE, false, true),
                sv39.decodePageFault(new dev.deed.paging.spi.Trap(15, 0x2_0010L), Privilege.USER));
        assertEquals(Access.EXECUTE, sv39.decodePageFault(new dev.deed.paging.spi.Trap(12, 0x1000), Privilege.USER).access());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sv39.decodePageFault(new dev.deed.paging.spi.Trap(5, 0x1000), Privilege.USER));
        assertTrue(e.getMessage().contains("scause 5"), e.getMessage());
    }

    /** The whole-table walks' allocation-free tests agree with decode on every entry, and write-protect clears only W. */
    @Test
    void trackedLeafFrameAgreesWithDecodeAndWriteProtectClearsOnlyW() {
        java.util.Random random = new java.util.Random(17);
        for (int n = 0; n < 200_000; n++) {
            long pte = random.nextLong();
            if (n % 2 == 0) {
                pte = pte & ((1L << 54) - 1) | 1 | 1L << 8; // valid, tracked, no high bits half the time
            }
            for (int level = 0; level < 3; level++) {
                Entry e = sv39.decode(pte, level, control);
                long expected = e instanceof Entry.Leaf leaf && leaf.tracked() ? leaf.pa() : -1;
                assertEquals(expected, sv39.trackedLeafFrame(pte, level), String.format("pte 0x%x at level %d: %s", pte, level, e));
                if (e instanceof Entry.Leaf leaf) {
                    long readOnly = sv39.writeProtect(pte);
                    PageProperty p = leaf.props();
                    assertEquals(new Entry.Leaf(leaf.pa(), new PageProperty(p.read(), false, p.execute(), p.user(), p.global(),
                            p.accessed(), p.dirty(), p.cache()), leaf.tracked()), sv39.decode(readOnly, level, control));
                    assertEquals(pte & ~0b100L, readOnly);
                }
            }
        }
    }
}
