package dev.deed.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Machine;
import dev.deed.frame.MemoryLayouts;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.mem.PhysMemory;
import dev.deed.frame.spi.MemoryLayout;
import dev.deed.frame.Segment;
import dev.deed.frame.Untracked;
import dev.deed.frame.Usage;
import dev.deed.paging.Cpus;
import dev.deed.paging.Access;
import dev.deed.paging.CachePolicy;
import dev.deed.paging.KernelSpace;

import dev.deed.paging.MappingException;
import dev.deed.paging.Mmu;
import dev.deed.paging.MmuControl;
import dev.deed.paging.PageFault;
import dev.deed.paging.PageProperty;
import dev.deed.paging.PageTable;
import dev.deed.paging.PagingFormats;
import dev.deed.paging.Privilege;
import dev.deed.paging.Tlb;
import dev.deed.paging.UserSpace;
import dev.deed.paging.VirtAddr;
import dev.deed.paging.spi.Entry;
import dev.deed.paging.spi.PagingFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What every paging format must pass. An arch module depends on {@code dev.deed:deed-conformance}
 * (type {@code test-jar}, test scope) and subclasses this in its own tests:
 * <pre>{@code
 * class Sv57ConformanceTest extends PagingConformanceKit {
 *     Sv57ConformanceTest() { super("sv57", new RiscvReference(5, 10)); }
 * }
 * }</pre>
 * with a {@link ReferenceWalker} written from the architecture manual (the MMU model is compared
 * against it, not against itself). Machines and addresses come from the arch's own
 * {@code MemoryLayout}: 256 MiB of RAM, kernel mappings in its device area, user mappings at its mmap
 * base, and untracked ranges from the first GiB boundary above RAM.
 */
public abstract class PagingConformanceKit {
    private static final String[] ACCESSES = {"r", "w", "x"};
    private static final long RAM = 256L << 20;
    private final PagingFormat format;
    private final MemoryLayout layout;
    private final ReferenceWalker reference;
    private final long mmioBase;

    protected PagingConformanceKit(String formatName, ReferenceWalker reference) {
        this.format = PagingFormats.named(formatName);
        this.layout = MemoryLayouts.forArch(format.arch());
        this.reference = reference;
        long gib = 1L << 30;
        this.mmioBase = (layout.ramBase() + RAM + gib - 1) & -gib;
    }

    private FrameAllocator boot() {
        return FrameAllocator.boot(Machine.of(layout, RAM));
    }

    private long kernelVa() {
        return layout.deviceArea();
    }

    private long userVa() {
        return layout.mmapBase();
    }

    private PhysAddr mmio(long offset) {
        return PhysAddr.of(mmioBase + offset);
    }

    private long superPage() {
        return format.pageSize(1);
    }

    private ReferenceWalker.Outcome referenceWalk(FrameAllocator frames, long root, long va, String access, boolean user,
                                                  boolean sum, boolean mxr, boolean wp, boolean pse) {
        PhysMemory memory = frames.memory();
        return reference.walk(new ReferenceWalker.Memory() {
            @Override
            public long readU64(long pa) {
                return memory.readU64(pa);
            }

            @Override
            public long readU32(long pa) {
                return memory.readU32(pa);
            }
        }, root, va, access, user, sum, mxr, wp, pse);
    }

    @Test
    void theFormatIsRegisteredWithTheServiceLoader() {
        assertEquals(format.getClass(), PagingFormats.named(format.name()).getClass());
        assertTrue(format.trackingBit() >= 0 && format.trackingBit() < 8 * format.pteBytes());
    }

    /**
     * The allocation-free tests the walks make per entry ({@code tablePa}, {@code tableRights},
     * {@code leafPa}, {@code leafProps}, {@code trackedLeafFrame}) say exactly what decode says, for random entries at every level,
     * with 4 MiB pages on and off.
     */
    @Test
    void theFastEntryTestsAgreeWithDecode() {
        SplittableRandom random = new SplittableRandom(23);
        long validBits = format.pteBytes() == 8 ? -1L : 0xFFFF_FFFFL;
        for (MmuControl control : List.of(MmuControl.defaults(), MmuControl.defaults().withPse(false))) {
            for (int n = 0; n < 100_000; n++) {
                long pte = random.nextLong() & validBits;
                if (n % 4 == 1) {
                    pte &= 0x3FF | ((1L << format.paBits()) - 1) & -4096L; // low flag bits and an address, nothing above
                } else if (n % 4 == 2) {
                    pte = format.encodeTable(random.nextLong() & ((1L << format.paBits()) - 1) & -4096L) | (pte & 0x6);
                }
                for (int level = 0; level < format.levels(); level++) {
                    Entry e = format.decode(pte, level, control);
                    String where = String.format("pte 0x%x at level %d (%s): %s", pte, level, control, e);
                    assertEquals(e instanceof Entry.Table t ? t.pa() : -1, format.tablePa(pte, level, control), where);
                    int rights = e instanceof Entry.Table t ? (t.writable() ? PagingFormat.TABLE_WRITE : 0)
                            | (t.user() ? PagingFormat.TABLE_USER : 0) | (t.executable() ? PagingFormat.TABLE_EXECUTE : 0) : 0;
                    assertEquals(rights, format.tableRights(pte, level, control), where);
                    assertEquals(e instanceof Entry.Leaf leaf ? leaf.pa() : -1, format.leafPa(pte, level, control), where);
                    if (e instanceof Entry.Leaf leaf) {
                        assertEquals(leaf.props(), format.leafProps(pte, level, control), where);
                    } else {
                        long notLeaf = pte;
                        int at = level;
                        assertThrows(IllegalArgumentException.class, () -> format.leafProps(notLeaf, at, control), where);
                    }
                    if (control.pse()) {
                        assertEquals(e instanceof Entry.Leaf leaf && leaf.tracked() ? leaf.pa() : -1,
                                format.trackedLeafFrame(pte, level), where);
                    }
                }
            }
        }
    }

    /**
     * {@code leafFrameBits} are exactly where a 4 KiB leaf keeps its frame: encoding any frame sets
     * only those bits, and a well-formed 4 KiB leaf with other bits there (any random entry) has the
     * same rights — what lets the MMU model decode alike leaves once.
     */
    @Test
    void aLeafsRightsDoNotDependOnItsFrameBits() {
        long frameBits = format.leafFrameBits();
        SplittableRandom random = new SplittableRandom(29);
        long validBits = format.pteBytes() == 8 ? -1L : 0xFFFF_FFFFL;
        for (int n = 0; n < 500; n++) {
            long pa = random.nextLong() & ((1L << format.paBits()) - 1) & -4096L;
            PageProperty props = randomEncodable(random, 0);
            long pte = format.encodeLeaf(pa, props, random.nextBoolean(), 0);
            assertEquals(0, (pte ^ format.encodeLeaf(0, props, (pte >>> format.trackingBit() & 1) == 1, 0)) & ~frameBits,
                    String.format("frame 0x%x sets bits outside leafFrameBits 0x%x", pa, frameBits));
        }
        int compared = 0;
        for (MmuControl control : List.of(MmuControl.defaults(), MmuControl.defaults().withPse(false))) {
            for (int n = 0; n < 100_000; n++) {
                long pte = random.nextLong() & validBits;
                if (n % 2 == 0) {
                    pte &= frameBits | 0xFFF | 1L << 63; // flags and a frame, nothing reserved: mostly well-formed leaves
                }
                long other = (pte & ~frameBits) | (random.nextLong() & frameBits);
                if (format.leafPa(pte, 0, control) >= 0 && format.leafPa(other, 0, control) >= 0) {
                    assertEquals(format.leafProps(pte, 0, control), format.leafProps(other, 0, control),
                            String.format("4 KiB leaves 0x%x and 0x%x differ only in frame bits (%s)", pte, other, control));
                    compared++;
                }
            }
        }
        assertTrue(compared > 10_000, "only " + compared + " pairs of well-formed leaves were compared");
    }

    @Test
    void leafEntriesRoundTripEveryField() {
        SplittableRandom random = new SplittableRandom(1);
        for (int level = 0; level < format.levels(); level++) {
            if (!format.leafAllowed(level)) {
                continue;
            }
            for (int i = 0; i < 500; i++) {
                long pa = (random.nextLong() & ((1L << format.paBits()) - 1)) & -format.pageSize(level);
                PageProperty props = randomEncodable(random, level);
                boolean tracked = random.nextBoolean();
                long pte = format.encodeLeaf(pa, props, tracked, level);
                Entry.Leaf leaf = (Entry.Leaf) format.decode(pte, level, MmuControl.defaults());
                assertEquals(pa, leaf.pa(), "pa at level " + level);
                assertEquals(tracked, leaf.tracked());
                assertEquals(tracked, (pte >>> format.trackingBit() & 1) == 1, "the tracking bit");
                PageProperty got = leaf.props();
                assertEquals(List.of(props.write(), props.user(), props.global(), props.accessed(), props.dirty(), props.cache()),
                        List.of(got.write(), got.user(), got.global(), got.accessed(), got.dirty(), got.cache()), props + " vs " + got);
                assertTrue(got.read() || !props.read(), "read kept");
                assertTrue(got.execute() || !props.execute(), "execute kept");
                assertEquals(pte, format.encodeLeaf(leaf.pa(), got, leaf.tracked(), level), "decode then encode is the identity");
            }
        }
    }

    @Test
    void tableEntriesAndRootRegistersRoundTrip() {
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 500; i++) {
            long pa = (random.nextLong() & ((1L << format.paBits()) - 1)) & -4096L;
            for (int level = 1; level < format.levels(); level++) {
                Entry e = format.decode(format.encodeTable(pa), level, MmuControl.defaults());
                assertEquals(pa, ((Entry.Table) e).pa());
            }
            int asid = format.hasAsids() ? random.nextInt(format.asidCount()) : 0;
            long register = format.rootRegister(pa, asid);
            assertEquals(pa, format.rootTable(register));
            assertEquals(asid, format.asidOf(register));
        }
        assertEquals(new Entry.Absent(), format.decode(0, 0, MmuControl.defaults()));
    }

    @Test
    void theCanonicalRuleMatchesTheReference() {
        FrameAllocator frames = boot();
        PageTable<KernelSpace> table = PageTable.kernel(format, frames);
        SplittableRandom random = new SplittableRandom(3);
        List<Long> vas = new ArrayList<>(List.of(0L, -1L, format.lowerHalfEnd() - 1, format.lowerHalfEnd(),
                -format.lowerHalfEnd(), -format.lowerHalfEnd() - 1, 1L << 32, Long.MIN_VALUE, Long.MAX_VALUE));
        for (int i = 0; i < 2000; i++) {
            vas.add(random.nextLong() >> random.nextInt(64));
        }
        for (long va : vas) {
            boolean referenceSaysNonCanonical = referenceWalk(frames, table.rootRegister(), va, "r", false,
                    false, false, true, true).fault().equals("NON_CANONICAL");
            assertEquals(!referenceSaysNonCanonical, format.isCanonical(va), String.format("0x%x", va));
        }
        table.destroy().flush();
    }

    @Test
    void alignmentRulesAreEnforced() {
        for (int level = 1; level < format.levels(); level++) {
            if (format.leafAllowed(level)) {
                int l = level;
                assertThrows(IllegalArgumentException.class, () -> format.encodeLeaf(4096, PageProperty.parse("r"), false, l));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> format.encodeTable(0x1234));
        FrameAllocator frames = boot();
        PageTable<KernelSpace> table = PageTable.kernel(format, frames);
        try (Segment<Untracked> mmio = frames.untrackedRange(mmio(0), 4 * 4096)) {
            assertThrows(MappingException.class, () -> PageTable.mapUntracked(table, VirtAddr.of(kernelVa() + 0x800), mmio,
                    PageProperty.kernelData()));
        }
        table.destroy().flush();
    }

    @Test
    void theMmuAgreesWithTheSpecOverRandomTables() {
        SplittableRandom random = new SplittableRandom(4);
        java.util.Set<String> seen = new java.util.TreeSet<>();
        for (int round = 0; round < 20; round++) {
            FrameAllocator frames = boot();
            PageTable<KernelSpace> table = PageTable.kernel(format, frames);
            List<Long> mapped = populate(table, frames, random);
            List<Long> corrupted = corrupt(table, frames, random, mapped);
            Mmu mmu = Cpus.of(frames, format).mmu(0);
            for (int i = 0; i < 600; i++) {
                int pick = random.nextInt(4);
                long va = pick == 0 ? random.nextLong() >> random.nextInt(40)
                        : (pick == 1 ? corrupted : mapped).get(random.nextInt((pick == 1 ? corrupted : mapped).size()))
                                + (random.nextLong() & 0xFFFL);
                String access = ACCESSES[random.nextInt(3)];
                boolean user = random.nextBoolean();
                boolean sum = random.nextBoolean();
                boolean mxr = random.nextBoolean();
                boolean wp = random.nextBoolean();
                boolean pse = random.nextInt(4) != 0;
                long root = random.nextInt(50) == 0 ? random.nextLong() : table.rootRegister();
                ReferenceWalker.Outcome expected = referenceWalk(frames, root, va, access, user, sum, mxr, wp, pse);
                mmu.tlb().invalidateAll();
                mmu.setControl(new MmuControl(sum, mxr, wp, pse));
                ReferenceWalker.Outcome actual;
                try {
                    actual = ReferenceWalker.Outcome.ok(mmu.translate(root, VirtAddr.of(va), access(access),
                            user ? Privilege.USER : Privilege.SUPERVISOR));
                } catch (PageFault fault) {
                    actual = ReferenceWalker.Outcome.fault(fault.kind().name());
                }
                assertEquals(expected, actual, String.format("round %d: %s of 0x%x by %s (sum %b, mxr %b, wp %b, pse %b)",
                        round, access, va, user ? "user" : "supervisor", sum, mxr, wp, pse));
                seen.add(actual.fault().isEmpty() ? "translated" : actual.fault());
            }
        }
        assertTrue(seen.size() >= 6 && seen.contains("translated") && seen.contains("PERMISSION"),
                "the random tables must reach translations and many kinds of fault, saw " + seen);
    }

    @Test
    void translationsStayInTheTlbUntilTheRightFlush() {
        FrameAllocator frames = boot();
        PageTable<UserSpace> one = PageTable.user(format, frames, format.hasAsids() ? 1 : 0);
        Mmu mmu = Cpus.of(frames, format).mmu(0);
        Tlb tlb = mmu.tlb();
        long va = userVa();
        one.map(VirtAddr.of(va), frames.alloc(Usage.USER), PageProperty.userData());
        one.map(VirtAddr.of(va + 4096), frames.alloc(Usage.USER), PageProperty.userData());
        long pa = mmu.translate(one.rootRegister(), VirtAddr.of(va), Access.READ, Privilege.USER);
        mmu.translate(one.rootRegister(), VirtAddr.of(va + 4096), Access.READ, Privilege.USER);

        var pending = one.unmap(VirtAddr.of(va), 4096);
        assertEquals(pa, mmu.translate(one.rootRegister(), VirtAddr.of(va), Access.READ, Privilege.USER), "stale until flushed");
        pending.flush();
        assertThrows(PageFault.class, () -> mmu.translate(one.rootRegister(), VirtAddr.of(va), Access.READ, Privilege.USER));
        assertNotNull(tlb.lookup(va + 4096, one.asid()), "a one-page flush leaves the neighbour cached");

        tlb.invalidatePage(va + 4096, Tlb.ALL);
        assertNull(tlb.lookup(va + 4096, one.asid()));
        if (format.hasAsids()) {
            PageTable<UserSpace> two = PageTable.user(format, frames, 2);
            two.map(VirtAddr.of(va), frames.alloc(Usage.USER), PageProperty.userData());
            PageTable<KernelSpace> kernel = PageTable.kernel(format, frames);
            long kernelVa = kernelVa() + 5 * 4096; // another TLB set than the user pages: no eviction
            try (Segment<Untracked> mmio = frames.untrackedRange(mmio(0), 4096)) {
                PageTable.mapUntracked(kernel, VirtAddr.of(kernelVa), mmio, PageProperty.parse("rwg"));
            }
            mmu.translate(one.rootRegister(), VirtAddr.of(va + 4096), Access.READ, Privilege.USER);
            mmu.translate(two.rootRegister(), VirtAddr.of(va), Access.READ, Privilege.USER);
            mmu.translate(kernel.rootRegister(), VirtAddr.of(kernelVa), Access.READ, Privilege.SUPERVISOR);
            tlb.invalidateAsid(1);
            assertNull(tlb.lookup(va + 4096, 1), "ASID 1 flushed");
            assertNotNull(tlb.lookup(va, 2), "ASID 2 kept");
            assertNotNull(tlb.lookup(kernelVa, 1), "global entries survive an ASID flush and match every ASID");
            tlb.invalidatePage(kernelVa, 2);
            assertNotNull(tlb.lookup(kernelVa, 2), "a page flush for one ASID leaves globals");
            tlb.invalidateAll();
            assertEquals(0, tlb.size());
            two.destroy().flush();
            kernel.destroy().flush();
        }
        one.destroy().flush();
    }

    private PageProperty randomEncodable(SplittableRandom random, int level) {
        while (true) {
            PageProperty p = new PageProperty(random.nextBoolean(), random.nextBoolean(), random.nextBoolean(),
                    random.nextBoolean(), random.nextBoolean(), random.nextBoolean(), random.nextBoolean(),
                    CachePolicy.values()[random.nextInt(CachePolicy.values().length)]);
            try {
                format.encodeLeaf(0, p, false, level);
                return p;
            } catch (IllegalArgumentException unencodable) {
                // draw again: this format cannot express these rights
            }
        }
    }

    /** Random tracked pages and untracked superpage ranges, then a random protect and unmap. Returns mapped VAs. */
    private List<Long> populate(PageTable<KernelSpace> table, FrameAllocator frames, SplittableRandom random) {
        List<Long> mapped = new ArrayList<>();
        long base = kernelVa();
        for (int i = 0; i < 40; i++) {
            long va = base + (random.nextLong() & ((64L << 20) - 1) & -4096L);
            try {
                table.map(VirtAddr.of(va), frames.alloc(Usage.USER), randomEncodable(random, 0));
                mapped.add(va);
            } catch (MappingException taken) {
                // an earlier page is there: fine
            }
        }
        long sp = superPage();
        for (int i = 0; i < 3; i++) {
            long va = base + (128L << 20) + i * 4 * sp + (random.nextBoolean() ? 0 : 4096);
            try (Segment<Untracked> mmio = frames.untrackedRange(mmio(i * 4 * sp + (va & 4095)), 2 * sp)) {
                PageTable.mapUntracked(table, VirtAddr.of(va), mmio, randomEncodable(random, 1));
                mapped.add(va);
                mapped.add(va + sp + 4096);
            }
        }
        table.protect(VirtAddr.of(mapped.get(mapped.size() - 1)), 4096, randomEncodable(random, 0)).flush();
        table.unmap(VirtAddr.of(mapped.get(0)), 4096).flush();
        return mapped;
    }

    /**
     * Overwrites leaf entries with flipped, random or high bits (reserved bits, W without R, misaligned
     * superpages, pointers to nowhere). Returns the addresses whose entries were changed.
     */
    private List<Long> corrupt(PageTable<KernelSpace> table, FrameAllocator frames, SplittableRandom random, List<Long> mapped) {
        List<Long> corrupted = new ArrayList<>(List.of(mapped.get(0)));
        for (int i = 0; i < 25; i++) {
            long va = mapped.get(random.nextInt(mapped.size()));
            long[] where = leafEntry(table, frames, va);
            if (where == null) {
                continue;
            }
            corrupted.add(va);
            long pte = format.pteBytes() == 8 ? frames.memory().readU64(where[0]) : frames.memory().readU32(where[0]);
            long bad = switch (random.nextInt(4)) {
                case 0 -> pte ^ (1L << random.nextInt(8 * format.pteBytes()));
                case 1 -> pte ^ (1L << random.nextInt(12));
                case 2 -> random.nextLong();
                default -> pte | (1L << (8 * format.pteBytes() - 1 - random.nextInt(10)));
            };
            if (format.pteBytes() == 8) {
                frames.memory().writeU64(where[0], bad);
            } else {
                frames.memory().writeU32(where[0], bad & 0xFFFF_FFFFL);
            }
        }
        return corrupted;
    }

    /** The physical address of the leaf entry that maps {@code va}, found through the SPI, or null. */
    private long[] leafEntry(PageTable<KernelSpace> table, FrameAllocator frames, long va) {
        long node = table.rootAddress().value();
        for (int level = format.levels() - 1; level >= 0; level--) {
            long at = node + (long) format.index(va, level) * format.pteBytes();
            long pte = format.pteBytes() == 8 ? frames.memory().readU64(at) : frames.memory().readU32(at);
            Entry e = format.decode(pte, level, MmuControl.defaults());
            if (e instanceof Entry.Leaf) {
                return new long[] {at, level};
            }
            if (!(e instanceof Entry.Table t)) {
                return null;
            }
            node = t.pa();
        }
        return null;
    }

    private static Access access(String letter) {
        return switch (letter) {
            case "r" -> Access.READ;
            case "w" -> Access.WRITE;
            default -> Access.EXECUTE;
        };
    }

}
