/**
 * RISC-V Sv39 / Sv48 (Privileged Spec v1.13, Supervisor-Level ISA). PTE: V R W X U G A D, RSW bit 8 =
 * tracked, PPN in bits 53:10, bits 63:54 must be zero (no Svpbmt, no Svnapot). X/W/R = 000 points to
 * the next level; W without R is reserved. Non-leaf entries must have D, A, U clear. satp: MODE[63:60]
 * (8 Sv39, 9 Sv48), ASID[59:44], PPN[43:0]. A/D: hardware update (as with Svadu).
 */
package dev.deed.arch.riscv64;
