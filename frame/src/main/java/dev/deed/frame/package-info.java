/**
 * Frames: 4 KiB pages of simulated physical memory, reached only through handles.
 *
 * <h2>Who may do what</h2>
 * <ul>
 *   <li>{@link dev.deed.frame.FrameAllocator} is the only source of {@code Frame<Tracked>} and
 *       {@code Segment<Tracked>}. The minting factory {@code Frame.fromUnused} is package-private,
 *       and JPMS forbids any other module to add classes to this package, so no code outside this
 *       package can forge a tracked handle (B3).</li>
 *   <li>{@code Frame<Untracked>} names memory the allocator does not own (reserved ranges such as
 *       firmware and the kernel image, or MMIO outside RAM). Asking for one over allocatable RAM is
 *       refused.</li>
 *   <li>Handles are final classes and {@code @InheritableMustCall("close")}: the Resource Leak
 *       Checker rejects code that drops one without closing it. A closed handle is revoked; every
 *       use throws {@link dev.deed.frame.RevokedHandleException}.</li>
 * </ul>
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Every RAM frame lies in exactly one <em>unit</em>: an aligned power-of-two block that is
 *       free, allocated or reserved. Alignment is by absolute page-frame number, so a 2 MiB unit is
 *       2 MiB-aligned in physical memory (what superpages need).</li>
 *   <li>Per-frame metadata is one {@code int}: the unit head holds state, order, and (free) its
 *       position in its free list or (allocated) usage tag and reference count; other frames of a
 *       unit hold 0. A frame's unit head is found in at most {@code MAX_ORDER + 1} probes.</li>
 *   <li>Frame states as the ownership contract names them: <b>unused</b> (free, in a buddy list or
 *       the per-CPU magazine), <b>unique</b> (allocated, one reference), <b>in use(n)</b> (allocated,
 *       n &ge; 2 references), <b>reserved</b>. Every transition is checked; a rejected one throws and
 *       changes nothing.</li>
 *   <li>free + used + reserved = total, always; frames in the magazine count as free.</li>
 *   <li>Every allocator operation is bounded by {@code MAX_ORDER} or by the length of a contiguous
 *       request; nothing waits on a lock, so nothing can hang.</li>
 * </ul>
 * The allocator is not thread-safe by itself: the kernel runs one simulated CPU at a time.
 *
 * <h2>Failure</h2>
 * Running out of memory is {@link dev.deed.frame.OutOfFramesException}, declared by every allocating
 * method so that the Resource Leak Checker checks what callers hold on that path. The machine's
 * {@link dev.deed.frame.FaultPlan} ({@code FrameAllocator.faults()}) makes chosen allocations fail on
 * purpose — the n-th at a named {@link dev.deed.frame.FaultSite}, or a seeded fraction — and every
 * layer above consults the same plan, so one plan drives frames, page-table nodes, heap blocks, kernel
 * stacks and pids deterministically.
 */
package dev.deed.frame;
