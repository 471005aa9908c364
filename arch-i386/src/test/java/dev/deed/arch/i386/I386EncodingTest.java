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
}
