package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Usage;
import dev.deed.paging.Cpus;
import dev.deed.paging.Access;
import dev.deed.paging.FaultKind;
import dev.deed.paging.Mmu;
import dev.deed.paging.PageFault;
import dev.deed.paging.PageProperty;
import dev.deed.paging.PageTable;
import dev.deed.paging.Privilege;
import dev.deed.paging.UserSpace;
import dev.deed.paging.VirtAddr;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The MMU model: faults by kind, hardware A/D update, privilege rules per architecture. */
class MmuTest {
    static List<String> formats() {
        return Arch.names();
    }

    private record Setup(Arch arch, FrameAllocator frames, PageTable<UserSpace> table, Mmu mmu, long root) {
        long translate(long va, Access access, Privilege privilege) {
            return mmu.translate(root, VirtAddr.of(va), access, privilege);
        }

        FaultKind fault(long va, Access access, Privilege privilege) {
            mmu.tlb().invalidateAll();
            return assertThrows(PageFault.class, () -> translate(va, access, privilege)).kind();
        }
    }

    private static Setup setup(String name) {
        Arch arch = Arch.named(name);
        FrameAllocator frames = arch.boot();
        PageTable<UserSpace> table = PageTable.user(arch.format(), frames, 0);
        long va = arch.userVa();
        table.map(VirtAddr.of(va), frames.allocZeroed(Usage.USER), PageProperty.parse("rwu"));
        table.map(VirtAddr.of(va + 0x1000), frames.allocZeroed(Usage.USER), PageProperty.parse("ru"));
        table.map(VirtAddr.of(va + 0x2000), frames.allocZeroed(Usage.USER), PageProperty.parse("rw"));
        table.map(VirtAddr.of(va + 0x3000), frames.allocZeroed(Usage.USER), PageProperty.parse(switch (name) {
            case "i386" -> "ru"; // every present i386 page is readable and executable
            case "x86_64" -> "rxu"; // every present x86-64 page is readable
            default -> "xu";
        }));
        return new Setup(arch, frames, table, Cpus.of(frames, arch.format()).mmu(0), table.rootRegister());
    }

    @ParameterizedTest
    @MethodSource("formats")
    void faultsSayWhy(String name) {
        Setup s = setup(name);
        long va = s.arch().userVa();
        assertEquals(FaultKind.NOT_PRESENT, s.fault(va + 0x10_0000, Access.READ, Privilege.USER));
        assertEquals(FaultKind.PERMISSION, s.fault(va + 0x1000, Access.WRITE, Privilege.USER));
        assertEquals(FaultKind.SUPERVISOR_PAGE_FROM_USER, s.fault(va + 0x2000, Access.READ, Privilege.USER));
        assertEquals(FaultKind.BAD_ROOT, assertThrows(PageFault.class,
                () -> s.mmu().translate(name.equals("i386") ? 1L << 40 : name.equals("x86_64") ? 1L << 50 : 0, VirtAddr.of(va),
                        Access.READ, Privilege.USER)).kind());
        if (!name.equals("i386")) {
            assertEquals(FaultKind.NON_CANONICAL, s.fault(1L << 50, Access.READ, Privilege.USER));
        }
    }

    @ParameterizedTest
    @MethodSource("formats")
    void theMmuSetsAccessedAndDirtyInThePte(String name) {
        Setup s = setup(name);
        long va = s.arch().userVa();
        assertTrue(s.table().query(VirtAddr.of(va)).orElseThrow().props().letters().matches("r?w?x?u?"), "no A/D yet");
        s.translate(va, Access.READ, Privilege.USER);
        var props = s.table().query(VirtAddr.of(va)).orElseThrow().props();
        assertTrue(props.accessed() && !props.dirty(), props.letters());
        s.translate(va + 8, Access.WRITE, Privilege.USER); // TLB hit without D: walks again to set it
        assertTrue(s.table().query(VirtAddr.of(va)).orElseThrow().props().dirty());
    }

    @Test
    void riscvSupervisorNeedsSumForUserPagesAndNeverExecutesThem() {
        Setup s = setup("sv39");
        long va = s.arch().userVa();
        assertEquals(FaultKind.USER_PAGE_FROM_SUPERVISOR, s.fault(va, Access.READ, Privilege.SUPERVISOR));
        s.mmu().setControl(s.mmu().control().withSum(true));
        s.translate(va, Access.WRITE, Privilege.SUPERVISOR);
        assertEquals(FaultKind.USER_PAGE_FROM_SUPERVISOR, s.fault(va + 0x3000, Access.EXECUTE, Privilege.SUPERVISOR));
        assertEquals(FaultKind.PERMISSION, s.fault(va + 0x3000, Access.READ, Privilege.USER), "X-only is not readable");
        s.mmu().setControl(s.mmu().control().withMxr(true));
        s.translate(va + 0x3000, Access.READ, Privilege.USER);
    }

    /**
     * The MMU remembers the last rights check that passed; the same rights under another kind of
     * access are checked again (and under other controls, below).
     */
    @ParameterizedTest
    @MethodSource("formats")
    void aPassedRightsCheckIsAskedAgainForAnotherAccess(String name) {
        Setup s = setup(name);
        long readOnly = s.arch().userVa() + 0x1000;
        s.translate(readOnly, Access.READ, Privilege.USER); // sets the accessed bit
        s.mmu().tlb().invalidateAll();
        s.translate(readOnly, Access.READ, Privilege.USER); // the check passes for the rights as they are now
        assertEquals(FaultKind.PERMISSION, assertThrows(PageFault.class,
                () -> s.translate(readOnly, Access.WRITE, Privilege.USER)).kind(), "the same rights, a write: refused");
        assertFalse(s.table().query(VirtAddr.of(readOnly)).orElseThrow().props().dirty(), "and not marked dirty");
    }

    @Test
    void aPassedRightsCheckIsAskedAgainUnderOtherControls() {
        Setup s = setup("sv39");
        long va = s.arch().userVa();
        s.mmu().setControl(s.mmu().control().withSum(true));
        s.translate(va, Access.READ, Privilege.SUPERVISOR);
        s.mmu().setControl(s.mmu().control().withSum(false)); // the translation stays in the TLB
        assertEquals(FaultKind.USER_PAGE_FROM_SUPERVISOR, assertThrows(PageFault.class,
                () -> s.translate(va, Access.READ, Privilege.SUPERVISOR)).kind());
    }

    @Test
    void i386SupervisorWritesHonourReadOnlyOnlyWithCr0Wp() {
        Setup s = setup("i386");
        long va = s.arch().userVa();
        s.translate(va, Access.READ, Privilege.SUPERVISOR); // supervisor may touch user pages on i386
        assertEquals(FaultKind.PERMISSION, s.fault(va + 0x1000, Access.WRITE, Privilege.SUPERVISOR));
        s.mmu().setControl(s.mmu().control().withWriteProtect(false));
        s.mmu().tlb().invalidateAll();
        s.translate(va + 0x1000, Access.WRITE, Privilege.SUPERVISOR);
        s.translate(va + 0x3000, Access.EXECUTE, Privilege.USER); // no execute-disable without PAE
    }

    /**
     * The paging-structure cache: a walk that ended in a 4 KiB leaf leaves its last-level table
     * cached, and the next walk in that region starts there — so an upper-level entry cleared beneath
     * the MMU still leads to the table until a flush wider than one page drops the cache, as
     * hardware may. A one-page flush keeps it (only a leaf changed).
     */
    @ParameterizedTest
    @MethodSource("formats")
    void aWalkStartsAtTheCachedLastLevelTableUntilAWideFlush(String name) {
        Setup s = setup(name);
        long va = s.arch().userVa();
        long pa1 = s.translate(va + 0x1000, Access.READ, Privilege.USER);
        assertEquals(1, s.mmu().tlb().cachedWalks());
        var format = s.arch().format();
        long rootEntry = s.table().rootAddress().value() + (long) format.index(va, format.levels() - 1) * format.pteBytes();
        long saved = format.pteBytes() == 8 ? s.frames().memory().readU64(rootEntry) : s.frames().memory().readU32(rootEntry);
        writeEntry(s, rootEntry, 0); // beneath the API: the root no longer leads to the region
        s.mmu().tlb().invalidatePage(va + 0x1000, dev.deed.paging.Tlb.ALL);
        assertEquals(pa1, s.translate(va + 0x1000, Access.READ, Privilege.USER), "a leaf flush keeps the cached walk");
        s.mmu().tlb().invalidateAll();
        assertEquals(0, s.mmu().tlb().cachedWalks());
        assertEquals(FaultKind.NOT_PRESENT, assertThrows(PageFault.class,
                () -> s.translate(va + 0x1000, Access.READ, Privilege.USER)).kind(), "a full flush walks from the root again");
        writeEntry(s, rootEntry, saved);
        assertEquals(pa1, s.translate(va + 0x1000, Access.READ, Privilege.USER));
    }

    /**
     * A walk that starts at a cached table reads the leaf entry as memory holds it now (through the
     * CPU's view of the table's page): an entry cleared beneath the MMU faults after a one-page flush,
     * and one written back translates again.
     */
    @ParameterizedTest
    @MethodSource("formats")
    void aCachedWalkReadsTheLeafEntryAsItIsNow(String name) {
        Setup s = setup(name);
        long va = s.arch().userVa();
        long pa = s.translate(va, Access.READ, Privilege.USER);
        s.translate(va + 0x1000, Access.READ, Privilege.USER);
        assertEquals(1, s.mmu().tlb().cachedWalks());
        var format = s.arch().format();
        long table = s.table().rootAddress().value();
        for (int level = format.levels() - 1; level > 0; level--) {
            table = format.tablePa(readEntry(s, table + (long) format.index(va, level) * format.pteBytes()), level,
                    dev.deed.paging.MmuControl.defaults());
        }
        long leafEntry = table + (long) format.index(va, 0) * format.pteBytes();
        long saved = readEntry(s, leafEntry);
        writeEntry(s, leafEntry, 0);
        s.mmu().tlb().invalidatePage(va, dev.deed.paging.Tlb.ALL);
        assertEquals(FaultKind.NOT_PRESENT, assertThrows(PageFault.class, () -> s.translate(va, Access.READ, Privilege.USER)).kind());
        assertEquals(1, s.mmu().tlb().cachedWalks(), "the walk started at the cached table");
        writeEntry(s, leafEntry, saved);
        assertEquals(pa, s.translate(va, Access.READ, Privilege.USER));
    }

    private static long readEntry(Setup s, long at) {
        return s.arch().format().pteBytes() == 8 ? s.frames().memory().readU64(at) : s.frames().memory().readU32(at);
    }

    private static void writeEntry(Setup s, long at, long value) {
        if (s.arch().format().pteBytes() == 8) {
            s.frames().memory().writeU64(at, value);
        } else {
            s.frames().memory().writeU32(at, value);
        }
    }
}
