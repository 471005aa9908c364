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
    private final Walker walker;
    /** The root this CPU last told {@link Cpus} it filled from (-1: none), so that a fill asks it only on a change. */
    private long announcedRoot = -1;
    private final Cpus cpus;
    private final int cpu;
    private MmuControl control = MmuControl.defaults();
    /**
     * The last rights check that passed — these rights, this kind of access ({@code mode}), these
     * controls — so that a miss with the same ones (the common case) does not ask the format again.
     */
    private int allowedRights = -1;
    private int allowedMode = -1;
    private MmuControl allowedControl = control;

    /** CPU {@code cpu}'s MMU: made by {@link Cpus}, which owns every CPU's TLB (find it with {@code Cpus.of(...).mmu(n)}). */
    Mmu(PagingFormat format, FrameAllocator frames, Cpus cpus, int cpu) {
        this.format = format;
        this.memory = frames.memory();
        this.tlb = new Tlb(format);
        this.walker = new Walker(memory, format, tlb);
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
        tlb.controlChanged(); // what was checked and walked under the old control goes
    }

    /** The physical address {@code va} translates to under {@code rootRegister}, for this access. */
    public long translate(long rootRegister, VirtAddr va, Access access, Privilege privilege) {
        return translate(rootRegister, va.value(), access, privilege);
    }

    private long translate(long rootRegister, long v, Access access, Privilege privilege) {
        long rootPa = format.rootTable(rootRegister);
        if (rootPa < 0) {
            throw new PageFault(FaultKind.BAD_ROOT, v, access, privilege,
                    "root register 0x" + Long.toHexString(rootRegister) + " does not enable " + format.name());
        }
        if (!format.isCanonical(v)) {
            throw new PageFault(FaultKind.NON_CANONICAL, v, access, privilege, "not canonical for " + format.name());
        }
        int asid = format.asidOf(rootRegister);
        int mode = access.ordinal() << 1 | privilege.ordinal();
        long quick = tlb.quick(v, asid, mode);
        if (quick >= 0) {
            return quick;
        }
        int slot = tlb.find(v, asid);
        if (slot >= 0 && (access != Access.WRITE || tlb.dirty(slot))) {
            requireAllowed(tlb.rights(slot), v, access, privilege, mode);
            long pa = tlb.paBase(slot) + (v & (format.pageSize(tlb.level(slot)) - 1));
            tlb.remember(slot, v, asid, mode, pa);
            return pa;
        }
        Walker w = walker;
        w.walk(rootPa, v, control, access, privilege);
        requireAllowed(w.effective, v, access, privilege, mode);
        boolean write = access == Access.WRITE;
        writeBack(w.ptePa, w.pte, true, write);
        for (int i = 0; i < w.depth; i++) {
            writeBack(w.tablePtePas[i], w.tablePtes[i], false, false);
        }
        if (rootPa != announcedRoot) {
            cpus.filled(cpu, rootPa);
            announcedRoot = rootPa;
        }
        tlb.insert(v, w.leafPa, w.level, w.effective, asid, w.ptePa, write || PageProperty.dirty(w.effective));
        return w.leafPa + (v & (format.pageSize(w.level) - 1));
    }

    /** {@link Cpus} forgot where the table rooted at {@code rootPa} is active (it was destroyed): tell it again on the next fill. */
    void forget(long rootPa) {
        if (announcedRoot == rootPa) {
            announcedRoot = -1;
        }
    }

    /** Refuses the access unless {@code rights} (a {@link PageProperty#index}) allow it. */
    private void requireAllowed(int rights, long va, Access access, Privilege privilege, int mode) {
        if (rights == allowedRights && mode == allowedMode && control == allowedControl) {
            return; // passed this very check last time
        }
        PageProperty effective = PageProperty.ofIndex(rights);
        FaultKind why = format.check(effective, access, privilege, control);
        if (why != null) {
            throw new PageFault(why, va, access, privilege, "rights " + effective.letters());
        }
        allowedRights = rights;
        allowedMode = mode;
        allowedControl = control;
    }

    /** Sets the accessed (and dirty) bit of the entry at {@code ptePa}, which the walk read as {@code pte}, if it is not set yet. */
    private void writeBack(long ptePa, long pte, boolean leaf, boolean write) {
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
