package dev.deed.process;

import dev.deed.frame.mem.PhysMemory;
import dev.deed.paging.Access;
import dev.deed.paging.Cpus;
import dev.deed.paging.Mmu;
import dev.deed.paging.PageFault;
import dev.deed.paging.Privilege;
import dev.deed.paging.VirtAddr;

/**
 * Loads and stores to user memory as the CPU does them: through the MMU and TLB of the CPU executing
 * now, with the process's root register loaded there. On a format without ASIDs, loading another
 * root drops the non-global TLB entries, as a CR3 write does; this class remembers which root each
 * CPU holds.
 */
final class UserMemory {
    private final Cpus cpus;
    private final PhysMemory memory;
    private final boolean asids;
    /** Per CPU, the user root register last loaded there. */
    private final long[] loadedRoot;

    UserMemory(Cpus cpus, PhysMemory memory) {
        this.cpus = cpus;
        this.memory = memory;
        this.asids = cpus.format().hasAsids();
        this.loadedRoot = new long[cpus.count()];
        java.util.Arrays.fill(loadedRoot, -1);
    }

    long load64(AddressSpace space, long va) {
        return memory.readU64(translate(space, va, Access.READ));
    }

    void store64(AddressSpace space, long va, long value) {
        memory.writeU64(translate(space, va, Access.WRITE), value);
    }

    private long translate(AddressSpace space, long va, Access access) {
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
        try {
            return mmu.translate(root, VirtAddr.of(va), access, Privilege.USER);
        } catch (PageFault fault) {
            throw new SyscallException(Errno.EFAULT, String.valueOf(fault.getMessage()));
        }
    }
}
