package dev.deed.paging;

/**
 * One node of a page-table tree, for observers: where it is, its level (0 holds the smallest pages),
 * the first virtual address it translates, and how many of its entries are valid.
 */
public record TableNode(long pa, int level, VirtAddr base, int validEntries) {
}
