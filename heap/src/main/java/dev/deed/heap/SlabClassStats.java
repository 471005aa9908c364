package dev.deed.heap;

/**
 * One size class, as /proc/slabinfo reports it.
 *
 * @param name          {@code kmalloc-<size>}
 * @param objectSize    bytes per object
 * @param activeObjects objects in use
 * @param totalObjects  objects in all slabs of the class
 * @param slabs         slabs (one frame each)
 * @param bytes         bytes of frames the class holds
 */
public record SlabClassStats(String name, int objectSize, long activeObjects, long totalObjects, int slabs, long bytes) {
}
