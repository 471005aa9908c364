package dev.deed.arch.riscv64;

/** Sv48: 4 levels, 48-bit virtual addresses, 4 KiB / 2 MiB / 1 GiB / 512 GiB pages, satp.MODE 9. */
public final class Sv48 extends SvFormat {
    public Sv48() {
        super("sv48", 4, 48, 9);
    }
}
