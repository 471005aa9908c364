/**
 * Raw simulated physical memory: little-endian loads and stores at any physical address in RAM.
 * Privileged: exported only to the modules that implement page tables, the heap and kernel stacks.
 * Backing is sparse, allocated one 4 KiB page at a time on first write; a page never written reads
 * as zero and costs no backing bytes. A reader that reads the same few pages again and again keeps
 * {@link dev.deed.frame.mem.PageViews}: where their backing lives, checked against the memory's
 * count of backing changes.
 */
package dev.deed.frame.mem;
