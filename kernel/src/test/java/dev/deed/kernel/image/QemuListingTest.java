package dev.deed.kernel.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.deed.paging.Mapping;
import dev.deed.paging.PageProperty;
import dev.deed.paging.VirtAddr;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison's two sides in one vocabulary, without QEMU: parsing its answers, merging as it merges. */
class QemuListingTest {
    private static Mapping leaf(long va, long pa, long size, String rights) {
        return new Mapping(VirtAddr.of(va), pa, size, PageProperty.parse(rights), true);
    }

    @Test
    void riscvMergesEqualSizedLeavesWithFollowingPhysicalAddressesAsQemuDoes() {
        List<Mapping> deed = List.of(leaf(0x1000, 0x8000_1000L, 0x1000, "rw"), leaf(0x2000, 0x8000_2000L, 0x1000, "rw"),
                leaf(0x3000, 0x8000_9000L, 0x1000, "rw"), leaf(0x20_0000, 0x4000_0000L, 0x20_0000, "rwg"),
                leaf(0x40_0000, 0x4020_0000L, 0x1000, "rwg"));
        assertEquals(List.of(
                "0000000000001000 0000000080001000 0000000000002000 rw-----",
                "0000000000003000 0000000080009000 0000000000001000 rw-----",
                "0000000000200000 0000000040000000 0000000000200000 rw--g--",
                "0000000000400000 0000000040200000 0000000000001000 rw--g--"), QemuListing.merged("sv39", deed));
    }

    @Test
    void aQemuAnswerThatDiffersInOnePageIsSeenAsDifferent() {
        List<Mapping> deed = List.of(leaf(0x1000, 0x8000_1000L, 0x2000, "rw"));
        String agreeing = "vaddr            paddr            size             attr\n"
                + "0000000000001000 0000000080001000 0000000000002000 rw-----\n";
        String wrongPa = agreeing.replace("0000000080001000", "0000000080002000");
        String wrongRights = agreeing.replace("rw-----", "r------");
        assertEquals(QemuListing.pages(deed), QemuListing.qemuPages("sv39", agreeing));
        assertNotEquals(QemuListing.pages(deed), QemuListing.qemuPages("sv39", wrongPa));
        assertNotEquals(QemuListing.pages(deed), QemuListing.qemuPages("sv39", wrongRights));
        assertEquals(List.of("0000000000001000 0000000080001000 0000000000002000 rw-----"), QemuListing.memLines("sv39", agreeing));
    }

    @Test
    void i386ReadsTheTlbListingWithFourMibPagesAndMergesInfoMemByProtection() {
        String tlb = "00000000c0000000: 0000000000123000 --------W\n"
                + "00000000c0400000: 00000000e0000000 -GP-----W\n";
        var pages = QemuListing.qemuPages("i386", tlb);
        assertEquals(1 + 1024, pages.size(), "a 4 MiB page is 1024 pages");
        assertEquals("123000 rwx", pages.get(0xc000_0000L));
        assertEquals("e0001000 rwxg", pages.get(0xc040_1000L));
        List<Mapping> deed = List.of(leaf(0xc000_0000L, 0x20_0000, 0x1000, "rw"), leaf(0xc000_1000L, 0x90_0000, 0x1000, "rw"),
                leaf(0xc000_2000L, 0x30_0000, 0x1000, "ru"));
        assertEquals(List.of("00000000c0000000-00000000c0002000 0000000000002000 -rw",
                "00000000c0002000-00000000c0003000 0000000000001000 ur-"), QemuListing.merged("i386", deed));
    }

    /** x86-64 info tlb: X is execute-disable, P a large page whose size the listing leaves to its alignment and neighbours. */
    @Test
    void x86_64TlbLinesReadAsDeedsPages() {
        List<Mapping> deed = List.of(leaf(0x40_0000L, 0x31_5000L, 0x1000, "rxu"), leaf(0xFFFF_8000_0000_0000L, 0x31_b000L, 0x1000, "rw"),
                leaf(0xFFFF_8000_8000_0000L, 0x1_4000_0000L, 0x20_0000, "rwg"), leaf(0xFFFF_8000_8020_0000L, 0x1_4020_0000L, 0x20_0000, "rwg"),
                leaf(0xFFFF_8000_C000_0000L, 0x2_0000_0000L, 1L << 30, "rwg"));
        String answer = "0000000000400000: 0000000000315000 -------U-\n"
                + "ffff800000000000: 000000000031b000 X-------W\n"
                + "ffff800080000000: 0000000140000000 XGP-----W\n"   // 1 GiB-aligned, but the next page is 2 MiB on: 2 MiB
                + "ffff800080200000: 0000000140200000 XGP-----W\n"
                + "ffff8000c0000000: 0000000200000000 XGP-----W\n";  // the last, 1 GiB-aligned: 1 GiB
        assertEquals(QemuListing.pages(deed), QemuListing.qemuPages("x86_64", answer));
        assertNotEquals(QemuListing.pages(deed), QemuListing.qemuPages("x86_64", answer.replace("-------U-", "X------U-")),
                "execute-disable is a right");
    }
}
