package dev.deed.process;

import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.Probe;
import dev.deed.frame.mem.PhysMemory;
import dev.deed.paging.Access;
import dev.deed.paging.Cpus;
import dev.deed.paging.Mmu;
import dev.deed.paging.PageFault;
import dev.deed.paging.Privilege;
import dev.deed.paging.VirtAddr;
import dev.deed.paging.spi.DecodedFault;
import dev.deed.paging.spi.PagingFormat;
import dev.deed.paging.spi.Trap;

/**
 * Loads and stores to user memory as the CPU does them: through the MMU and TLB of the CPU executing
 * now, with the process's root register loaded there. A translation that faults traps — in the
 * architecture's own encoding (scause/stval, #PF error code/CR2), which its arch module decodes —
 * into the page-fault handler: a demand-zero page or a copy-on-write break, and the access is
 * retried; a fault the kernel cannot resolve is a {@link Signal}. On a format without ASIDs, loading
 * another root drops the non-global TLB entries, as a CR3 write does; this class remembers which
 * root each CPU holds.
 */
final class UserMemory {
    /** SIGSEGV and SIGKILL as a shell shows a process they ended: 128 + the signal. */
    static final int SIGSEGV_STATUS = 128 + 11;
    static final int SIGKILL_STATUS = 128 + 9;

    /** An access the kernel could not resolve ends the process: with {@link #status}, for {@link #getMessage}. */
    static final class Signal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        Signal(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final Cpus cpus;
    private final PhysMemory memory;
    private final PagingFormat format;
    private final boolean asids;
    /** Per CPU, the user root register last loaded there. */
    private final long[] loadedRoot;
    private long faults;
    private final Probe probe;

    UserMemory(Cpus cpus, PhysMemory memory, Probe probe) {
        this.probe = probe;
        this.cpus = cpus;
        this.memory = memory;
        this.format = cpus.format();
        this.asids = format.hasAsids();
        this.loadedRoot = new long[cpus.count()];
        java.util.Arrays.fill(loadedRoot, -1);
    }

    long load64(int pid, AddressSpace space, long va) {
        return memory.readU64(translate(pid, space, va, Access.READ));
    }

    void store64(int pid, AddressSpace space, long va, long value) {
        memory.writeU64(translate(pid, space, va, Access.WRITE), value);
    }

    /** Page faults taken since boot. */
    long faults() {
        return faults;
    }

    private long translate(int pid, AddressSpace space, long va, Access access) {
        if (va % 8 != 0) {
            throw new SyscallException(Errno.EINVAL, "0x" + Long.toHexString(va) + " is not 8-byte aligned");
        }
        int cpu = cpus.current();
        Mmu mmu = cpus.mmu(cpu);
        long root = space.root();
        if (!asids && root != loadedRoot[cpu]) {
            mmu.tlb().invalidateNonGlobal(); // a CR3 write
        }
        loadedRoot[cpu] = root;
        for (int attempt = 0; ; attempt++) {
            try {
                return mmu.translate(root, VirtAddr.of(va), access, Privilege.USER);
            } catch (PageFault fault) {
                if (attempt > 0) { // the handler resolved it once and it faults again: nothing more it can do
                    throw new Signal(SIGSEGV_STATUS, "SIGSEGV: " + fault.getMessage());
                }
                handle(pid, space, format.pageFaultTrap(fault.kind(), va, access, Privilege.USER));
            }
        }
    }

    /** The page-fault handler, entered with the trap as the hardware reported it. */
    private void handle(int pid, AddressSpace space, Trap trap) {
        faults++;
        DecodedFault f = format.decodePageFault(trap, Privilege.USER);
        String segv;
        long[] before = probe.attached() ? space.faultCounts() : NO_COUNTS;
        try {
            segv = space.resolve(f.va(), f.access());
        } catch (OutOfFramesException oom) {
            probe.report(Probe.Event.FAULT, pid, f.va(), "SIGKILL");
            throw new Signal(SIGKILL_STATUS, "SIGKILL: out of memory in a page fault at 0x" + Long.toHexString(f.va())
                    + ": " + oom.getMessage());
        }
        if (segv != null) {
            probe.report(Probe.Event.FAULT, pid, f.va(), "SIGSEGV");
            throw new Signal(SIGSEGV_STATUS, "SIGSEGV: " + segv);
        }
        if (probe.attached()) {
            long[] after = space.faultCounts();
            String how = after[0] > before[0] ? "demand-zero" : after[1] > before[1] ? "copy-on-write copy"
                    : after[2] > before[2] ? "copy-on-write take-over" : "spurious";
            probe.report(Probe.Event.FAULT, pid, f.va(), how);
        }
    }

    private static final long[] NO_COUNTS = new long[3];
}
