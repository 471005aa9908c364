package dev.deed.arch.i386;

import dev.deed.frame.InvalidAddressException;
import dev.deed.conformance.ReferenceWalker;

/** Intel SDM Vol. 3A §4.3: 32-bit paging, with CR4.PSE and CR0.WP, rights ANDed across PDE and PTE. */
final class I386Reference implements ReferenceWalker {

    @Override
    public Outcome walk(Memory memory, long cr3, long va, String access, boolean user, boolean sum, boolean mxr,
                        boolean wp, boolean pse) {
        if ((cr3 >>> 32) != 0) {
            return Outcome.fault("BAD_ROOT");
        }
        if ((va >>> 32) != 0) {
            return Outcome.fault("NON_CANONICAL");
        }
        long pde;
        try {
            pde = memory.readU32((cr3 & 0xFFFF_F000L) + ((va >>> 22) & 1023) * 4);
        } catch (InvalidAddressException e) {
            return Outcome.fault("ACCESS_FAULT");
        }
        if ((pde & 1) == 0) {
            return Outcome.fault("NOT_PRESENT");
        }
        boolean rw = (pde & 2) != 0;
        boolean us = (pde & 4) != 0;
        long pa;
        if (pse && (pde & 0x80) != 0) {
            if ((pde & 0x003F_E000L) != 0) {
                return Outcome.fault("RESERVED_BITS");
            }
            pa = (pde & 0xFFC0_0000L) | (va & 0x3F_FFFFL);
        } else {
            long pte;
            try {
                pte = memory.readU32((pde & 0xFFFF_F000L) + ((va >>> 12) & 1023) * 4);
            } catch (InvalidAddressException e) {
                return Outcome.fault("ACCESS_FAULT");
            }
            if ((pte & 1) == 0) {
                return Outcome.fault("NOT_PRESENT");
            }
            rw &= (pte & 2) != 0;
            us &= (pte & 4) != 0;
            pa = (pte & 0xFFFF_F000L) | (va & 0xFFF);
        }
        if (user && !us) {
            return Outcome.fault("SUPERVISOR_PAGE_FROM_USER");
        }
        if (access.equals("w") && !rw && (user || wp)) {
            return Outcome.fault("PERMISSION");
        }
        return Outcome.ok(pa);
    }
}
