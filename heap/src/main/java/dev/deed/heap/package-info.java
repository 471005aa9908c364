/**
 * The kernel heap: {@code kmalloc}/{@code kzalloc} over frames, with every block a handle.
 *
 * <h2>Structure</h2>
 * <ul>
 *   <li><b>Small heaps</b> serve requests up to {@link dev.deed.heap.KernelHeap#SMALL_MAX} (2 KiB) from
 *       power-of-two size classes (16 … 2048 bytes); each slab is one frame carved into equal objects.
 *       A class keeps its active slab and at most {@link dev.deed.heap.KernelHeap#KEEP_EMPTY} more
 *       empty slabs, and gives the rest back to the frame allocator.</li>
 *   <li><b>Main heaps</b> serve larger requests with power-of-two, page-granular blocks (4 KiB … 4 MiB),
 *       each a contiguous frame segment; freed blocks are kept (poisoned) for reuse up to
 *       {@link dev.deed.heap.KernelHeap#MAIN_CACHE_BYTES} in all, and then returned.</li>
 * </ul>
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>A live block is reached only through its {@link dev.deed.heap.Block} handle; after free the
 *       handle is revoked, so reading a pointer field of a freed struct throws before the poison can
 *       be read (how Deed's API stops B1).</li>
 *   <li>With poisoning on (the default), every free block in every heap holds the 32-bit pattern
 *       {@code 0xFAABCAFE}; the pattern is checked when the block is handed out again, and a
 *       difference is reported with the address, the block size and the step it was freed at. Fills
 *       and checks work on the memory's backing in bulk (whole pages share a read-only pattern page
 *       until written), so poisoning stays cheap enough to be the default.</li>
 *   <li>A struct that owns buffers is a {@link dev.deed.heap.Container}: its children are allocated
 *       through it and are {@link dev.deed.heap.Child} views; neither has a {@code close()}, and the
 *       container's one destructor frees the children first — so freeing the struct first cannot be
 *       written. At run time a block that owns a live child is never freed, even by the raw
 *       {@code kfree} path: refused naming the child, nothing freed.</li>
 *   <li>A rejected free (unknown address, interior pointer, double free) throws and changes nothing.</li>
 *   <li>Frames taken from the allocator = frames held by slabs and main blocks, always.</li>
 * </ul>
 * One simulated CPU runs at a time; the heap is not thread-safe by itself.
 */
package dev.deed.heap;
