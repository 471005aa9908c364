/**
 * The paging SPI: what an architecture module tells the arch-neutral page tables and MMU model.
 * A format encodes and decodes single entries and root registers and states its rules (levels,
 * leaf sizes, canonical addresses, permission checks); it never walks or allocates. Implementations
 * are registered with {@code provides dev.deed.paging.spi.PagingFormat with …} and must pass the
 * conformance kit in {@code archtests}.
 */
package dev.deed.paging.spi;
