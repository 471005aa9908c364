package dev.deed.paging;

/**
 * The control bits the MMU model honours.
 *
 * @param sum          RISC-V sstatus.SUM: supervisor may read/write user pages
 * @param mxr          RISC-V sstatus.MXR: executable pages are readable
 * @param writeProtect i386 CR0.WP: supervisor writes honour R/W
 * @param pse          i386 CR4.PSE: 4 MiB pages
 */
public record MmuControl(boolean sum, boolean mxr, boolean writeProtect, boolean pse) {

    private static final MmuControl DEFAULTS = new MmuControl(false, false, true, true);

    /** SUM and MXR off, CR0.WP and CR4.PSE on: how Deed's kernel runs (one shared value). */
    public static MmuControl defaults() {
        return DEFAULTS;
    }

    public MmuControl withSum(boolean on) {
        return new MmuControl(on, mxr, writeProtect, pse);
    }

    public MmuControl withMxr(boolean on) {
        return new MmuControl(sum, on, writeProtect, pse);
    }

    public MmuControl withWriteProtect(boolean on) {
        return new MmuControl(sum, mxr, on, pse);
    }

    public MmuControl withPse(boolean on) {
        return new MmuControl(sum, mxr, writeProtect, on);
    }
}
