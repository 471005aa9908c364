/**
 * x86-64 4-level paging (Intel SDM Vol. 3A §4.5, IA-32e paging; CR4.PAE, EFER.LME and EFER.NXE set):
 * four tables of 512 eight-byte entries — PML4, PDPT, page directory, page table — translating
 * 48-bit canonical addresses (bits 63:47 equal). Bits: 0 P, 1 R/W, 2 U/S, 3 PWT, 4 PCD, 5 A,
 * 6 D (leaves), 7 PS (a 1 GiB page in a PDPTE, a 2 MiB page in a PDE; reserved in a PML4E; PAT in a
 * PTE), 8 G, 9 (available) = tracked, 12 PAT (large pages), 51:12 the address, 63 XD
 * (execute-disable). MAXPHYADDR is 46: bits 51:46 of a present entry are reserved, as are a large
 * page's address bits below its size. R/W and U/S are ANDed across every level, XD ORed. CR3 holds
 * the PML4's address and, with CR4.PCIDE, a 12-bit PCID in bits 11:0.
 */
package dev.deed.arch.x86_64;
