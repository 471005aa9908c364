/**
 * Raw simulated physical memory: little-endian loads and stores at any physical address in RAM.
 * Privileged: exported only to the modules that implement page tables, the heap and kernel stacks.
 * Backing is sparse, allocated one 4 KiB page at a time on first write; a page never written reads
 * as zero and costs no backing bytes.
 */
package dev.deed.frame.mem;
