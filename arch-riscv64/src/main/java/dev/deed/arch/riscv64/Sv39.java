package dev.deed.arch.riscv64;

/** Sv39: 3 levels, 39-bit virtual addresses, 4 KiB / 2 MiB / 1 GiB pages, satp.MODE 8. */
public final class Sv39 extends SvFormat {
    public Sv39() {
        super("sv39", 3, 39, 8);
    }
}
