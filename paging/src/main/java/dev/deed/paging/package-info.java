/**
 * Address spaces: page tables in simulated physical memory, typed by kind, with a TLB that must be
 * flushed and an MMU model that does what the hardware does.
 *
 * <h2>Who may do what</h2>
 * <ul>
 *   <li>{@code PageTable<UserSpace>} maps only {@code Frame<Tracked>} ({@link dev.deed.paging.PageTable#map});
 *       {@link dev.deed.paging.PageTable#mapUntracked} takes a {@code PageTable<KernelSpace>}, so an untracked
 *       mapping in a user table does not compile (B5).</li>
 *   <li>A tracked leaf holds one raw reference to its frame; the tracking status lives in the PTE's
 *       software bit, so splits and protection changes keep it. Unmapping or destroying releases only
 *       tracked leaves; untracked memory is never touched.</li>
 *   <li>{@link dev.deed.paging.PageTable#unmap}, {@link dev.deed.paging.PageTable#protect} and
 *       {@link dev.deed.paging.PageTable#destroy} return a {@link dev.deed.paging.PendingFlush} that must be
 *       consumed (Resource Leak Checker): frames and emptied page-table nodes are released only by
 *       {@link dev.deed.paging.PendingFlush#flush}, after the TLBs stopped translating through them
 *       (the rejected Asterinas PR #1387 freed them first).</li>
 * </ul>
 *
 * <h2>The engine</h2>
 * <ul>
 *   <li>{@link dev.deed.paging.Cursor} does every operation on entries; it keeps its path from the
 *       root and climbs only as far as the next address needs. {@link dev.deed.paging.PageTable} owns
 *       the nodes (linking, counts, splits, unlinking, destroy) and runs each call on its own cursor.</li>
 *   <li>A cursor's path is never older than the table's last node unlink: it is read again from the
 *       root after one, so no cursor writes into a released node.</li>
 *   <li>The MMU model's caches (the TLB, the last translation, the paging-structure cache of
 *       last-level tables) are dropped by the flushes that drop the TLB entries they copy; a release
 *       any of them reaches is refused.</li>
 * </ul>
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Every page-table node is a frame tagged {@code PAGE_TABLE}; a node other than the root with no
 *       valid entry is unlinked and released (after the flush).</li>
 *   <li>Superpages are used wherever the virtual and physical addresses and the remaining length allow;
 *       a partial unmap or protect splits a superpage into the next smaller size, keeping address,
 *       rights and tracking of every piece.</li>
 *   <li>A rejected operation (unaligned, non-canonical, overlapping, unmapping nothing, size 0)
 *       throws {@link dev.deed.paging.MappingException} and changes nothing. An operation that runs
 *       out of memory ({@code OutOfFramesException}) changes nothing either: {@code map} checks
 *       address, rights and frame before it allocates, and unlinks the nodes its walk created if a
 *       node cannot be had or the slot turns out taken;
 *       {@code mapFresh} (a range of fresh frames, the kernel's way to map memory it allocates) creates
 *       the nodes, then takes every frame, then maps, giving everything back on a failure;
 *       {@code unmap} and {@code protect} reserve the nodes their superpage splits need before they
 *       change an entry.</li>
 *   <li>{@code map} never takes a frame it refuses: the frame stays with the caller. Its refusals are
 *       declared, so the Resource Leak Checker rejects a caller that would lose it.</li>
 *   <li>A/D bits: the MMU model updates them in the PTE itself (as x86 and RISC-V Svadu do); it never
 *       faults on A=0 or D=0.</li>
 * </ul>
 */
package dev.deed.paging;
