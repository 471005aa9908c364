package dev.deed.arch.riscv64;

import dev.deed.frame.InvalidAddressException;
import dev.deed.conformance.ReferenceWalker;

/** RISC-V Privileged Spec §"Virtual Address Translation Process", for Sv39 (levels 3) or Sv48 (levels 4). */
record RiscvReference(int levels, long mode) implements ReferenceWalker {

    @Override
    public Outcome walk(Memory memory, long satp, long va, String access, boolean user, boolean sum, boolean mxr,
                        boolean wp, boolean pse) {
        if ((satp >>> 60) != mode) {
            return Outcome.fault("BAD_ROOT");
        }
        int vaBits = 12 + 9 * levels;
        long upper = va >> (vaBits - 1);
        if (upper != 0 && upper != -1) {
            return Outcome.fault("NON_CANONICAL");
        }
        long a = (satp & ((1L << 44) - 1)) * 4096;
        for (int i = levels - 1; i >= 0; i--) {
            long vpn = (va >>> (12 + 9 * i)) & 511;
            long pte;
            try {
                pte = memory.readU64(a + vpn * 8);
            } catch (InvalidAddressException e) {
                return Outcome.fault("ACCESS_FAULT");
            }
            boolean v = (pte & 1) != 0;
            boolean r = (pte & 2) != 0;
            boolean w = (pte & 4) != 0;
            boolean x = (pte & 8) != 0;
            if (!v) {
                return Outcome.fault("NOT_PRESENT");
            }
            if ((pte >>> 54) != 0) {
                return Outcome.fault("RESERVED_BITS");
            }
            if (!r && w) {
                return Outcome.fault("WRITE_WITHOUT_READ");
            }
            long ppn = (pte >>> 10) & ((1L << 44) - 1);
            if (!r && !x) {
                if ((pte & (0x10 | 0x40 | 0x80)) != 0) {
                    return Outcome.fault("RESERVED_BITS");
                }
                if (i == 0) {
                    return Outcome.fault("NO_LEAF");
                }
                a = ppn * 4096;
                continue;
            }
            if (i > 0 && (ppn & ((1L << (9 * i)) - 1)) != 0) {
                return Outcome.fault("MISALIGNED_SUPERPAGE");
            }
            boolean u = (pte & 0x10) != 0;
            if (user && !u) {
                return Outcome.fault("SUPERVISOR_PAGE_FROM_USER");
            }
            if (!user && u && (access.equals("x") || !sum)) {
                return Outcome.fault("USER_PAGE_FROM_SUPERVISOR");
            }
            boolean ok = switch (access) {
                case "r" -> r || (mxr && x);
                case "w" -> w;
                default -> x;
            };
            if (!ok) {
                return Outcome.fault("PERMISSION");
            }
            long offset = va & ((1L << (12 + 9 * i)) - 1);
            return Outcome.ok(ppn * 4096 + offset);
        }
        return Outcome.fault("NO_LEAF");
    }
}
