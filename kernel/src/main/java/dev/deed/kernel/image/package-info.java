/**
 * {@code deed mmu-image}: apply a file of page-table operations to a fresh kernel page table on the
 * arch's default machine and write what a real emulator needs to load it (memory image, root
 * register) and what it should then list ({@code mappings.txt}).
 */
package dev.deed.kernel.image;
