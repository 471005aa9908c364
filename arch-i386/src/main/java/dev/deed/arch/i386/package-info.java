/**
 * i386 32-bit paging (Intel SDM Vol. 3A §4.3): a page directory of 1024 four-byte PDEs, each a
 * 4 MiB page (PS=1, with CR4.PSE) or a pointer to a page table of 1024 PTEs. Bits: 0 P, 1 R/W,
 * 2 U/S, 3 PWT, 4 PCD, 5 A, 6 D (leaves), 7 PS (PDE) / PAT (PTE), 8 G, 9 (available) = tracked;
 * a 4 MiB PDE's bits 21:13 must be zero (no PSE-36). R/W and U/S are ANDed across levels. No
 * execute-disable without PAE: every present page is readable and executable. CR3 bits 31:12 hold the
 * directory's address; there are no ASIDs (a CR3 write drops every non-global TLB entry).
 */
package dev.deed.arch.i386;
