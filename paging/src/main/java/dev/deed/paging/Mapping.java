package dev.deed.paging;

/**
 * One leaf mapping as the page table holds it.
 *
 * @param va      first virtual address
 * @param pa      first physical address
 * @param size    bytes (the leaf's page size)
 * @param props   effective rights and attributes (on i386 ANDed across levels)
 * @param tracked whether the leaf holds a frame reference (the PTE's software bit)
 */
public record Mapping(VirtAddr va, long pa, long size, PageProperty props, boolean tracked) {

    /** {@code VA PA SIZE FLAGS} in hex, as mappings.txt writes it. */
    public String line() {
        return String.format("0x%x 0x%x 0x%x %s", va.value(), pa, size, props.letters());
    }
}
