package dev.deed.paging;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.mem.PhysMemory;
import dev.deed.paging.spi.PagingFormat;

/**
 * What one CPU's MMU does with a virtual address: consult the TLB, else walk the tables named by the
 * root register, check the rights, set the accessed (and, for a write, dirty) bits in the entries
 * (hardware A/D update, never an A/D fault), cache the translation. A refused translation is a
 * {@link PageFault}.
 */
public final class Mmu {
    private final PagingFormat format;
    private final PhysMemory memory;
    private final Tlb tlb;
    private final Cpus cpus;
    private final int cpu;
    private MmuControl control = MmuControl.defaults();

    /** CPU {@code cpu}'s MMU: made by {@link Cpus}, which owns every CPU's TLB (find it with {@code Cpus.of(...).mmu(n)}). */
    Mmu(PagingFormat format, FrameAllocator frames, Cpus cpus, int cpu) {
        this.format = format;
        this.memory = frames.memory();
        this.tlb = new Tlb(format);
        this.cpus = cpus;
        this.cpu = cpu;
    }

    /** The CPU this MMU belongs to. */
    public int cpu() {
        return cpu;
    }

    public PagingFormat format() {
        return format;
    }

    public Tlb tlb() {
        return tlb;
    }

    public MmuControl control() {
        return control;
    }

    public void setControl(MmuControl control) {
        this.control = control;
    }

    /** The physical address {@code va} translates to under {@code rootRegister}, for this access. */
    public long translate(long rootRegister, VirtAddr va, Access access, Privilege privilege) {
        long v = va.value();
        long rootPa = format.rootTable(rootRegister);
        if (rootPa < 0) {
            throw new PageFault(FaultKind.BAD_ROOT, v, access, privilege,
                    "root register 0x" + Long.toHexString(rootRegister) + " does not enable " + format.name());
        }
        if (!format.isCanonical(v)) {
            throw new PageFault(FaultKind.NON_CANONICAL, v, access, privilege, "not canonical for " + format.name());
        }
        int asid = format.asidOf(rootRegister);
        Tlb.Entry cached = tlb.lookup(v, asid);
        if (cached != null && (access != Access.WRITE || cached.dirty())) {
            requireAllowed(cached.props(), v, access, privilege);
            return cached.paBase() + (v & (format.pageSize(cached.level()) - 1));
        }
        Walker.Walk walk = Walker.walk(memory, format, rootPa, v, control, access, privilege);
        requireAllowed(walk.effective(), v, access, privilege);
        boolean write = access == Access.WRITE;
        writeBack(walk.ptePa(), true, write);
        for (long tablePte : walk.tablePtePas()) {
            writeBack(tablePte, false, false);
        }
        cpus.filled(cpu, rootPa);
        tlb.insert(new Tlb.Entry(v & -format.pageSize(walk.level()), walk.leaf().pa(), walk.level(), walk.effective(),
                walk.effective().global(), asid, walk.ptePa(), write || walk.effective().dirty()));
        return walk.leaf().pa() + (v & (format.pageSize(walk.level()) - 1));
    }

    private void requireAllowed(PageProperty effective, long va, Access access, Privilege privilege) {
        FaultKind why = format.check(effective, access, privilege, control);
        if (why != null) {
            throw new PageFault(why, va, access, privilege, "rights " + effective.letters());
        }
    }

    private void writeBack(long ptePa, boolean leaf, boolean write) {
        long pte = format.pteBytes() == 8 ? memory.readU64(ptePa) : memory.readU32(ptePa);
        long marked = format.markAccessed(pte, leaf, write);
        if (marked != pte) {
            if (format.pteBytes() == 8) {
                memory.writeU64(ptePa, marked);
            } else {
                memory.writeU32(ptePa, marked);
            }
        }
    }
}
