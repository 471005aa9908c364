package dev.deed.arch.x86_64;

import dev.deed.frame.InvalidAddressException;
import dev.deed.conformance.ReferenceWalker;

/**
 * Intel SDM Vol. 3A §4.5 (4-level paging, IA-32e mode with EFER.NXE) and §4.6 (access rights):
 * R/W and U/S ANDed over the PML4E, PDPTE, PDE and PTE, XD ORed; CR0.WP; MAXPHYADDR 46; CR3 bits
 * 11:0 a PCID.
 */
final class X64Reference implements ReferenceWalker {
    private static final long ADDRESS = 0x0000_3FFF_FFFF_F000L; // bits 45:12
    private static final long ABOVE_MAXPHYADDR = 0x000F_C000_0000_0000L; // bits 51:46

    @Override
    public Outcome walk(Memory memory, long cr3, long va, String access, boolean user, boolean sum, boolean mxr,
                        boolean wp, boolean pse) {
        if ((cr3 & ~(ADDRESS | 0xFFF)) != 0) {
            return Outcome.fault("BAD_ROOT");
        }
        long top = va >> 47;
        if (top != 0 && top != -1) {
            return Outcome.fault("NON_CANONICAL");
        }
        long table = cr3 & ADDRESS;
        boolean rw = true;
        boolean us = true;
        boolean xd = false;
        for (int level = 3; level >= 0; level--) {
            long pte;
            try {
                pte = memory.readU64(table + ((va >>> (12 + 9 * level)) & 511) * 8);
            } catch (InvalidAddressException e) {
                return Outcome.fault("ACCESS_FAULT");
            }
            if ((pte & 1) == 0) {
                return Outcome.fault("NOT_PRESENT");
            }
            if ((pte & ABOVE_MAXPHYADDR) != 0) {
                return Outcome.fault("RESERVED_BITS");
            }
            boolean ps = (pte & 0x80) != 0;
            if (level == 3 && ps) {
                return Outcome.fault("RESERVED_BITS");
            }
            rw &= (pte & 2) != 0;
            us &= (pte & 4) != 0;
            xd |= pte < 0;
            if (level == 0 || ps) {
                long size = 1L << (12 + 9 * level);
                if (level > 0 && (pte & (size - 1) & ~0x1FFFL) != 0) { // bits 12 (PAT) and below are not address
                    return Outcome.fault("RESERVED_BITS");
                }
                if (user && !us) {
                    return Outcome.fault("SUPERVISOR_PAGE_FROM_USER");
                }
                if (access.equals("x") && xd || access.equals("w") && !rw && (user || wp)) {
                    return Outcome.fault("PERMISSION");
                }
                return Outcome.ok((pte & ADDRESS & -size) | (va & (size - 1)));
            }
            table = pte & ADDRESS;
        }
        return Outcome.fault("NO_LEAF");
    }
}
