package dev.deed.frame.spi;

import dev.deed.frame.MemRegion;
import java.util.List;

/**
 * A {@link MemoryLayout} whose numbers are constants, given once to the constructor: what an arch
 * module's layout usually is. Subclass it with a public no-argument constructor (as
 * {@link java.util.ServiceLoader} needs) that passes the arch's values.
 */
public abstract class FixedMemoryLayout implements MemoryLayout {
    /** The virtual areas of a layout, by name (they are all addresses: a record keeps them apart). */
    public record Areas(long userTop, long mmapBase, long kernelImageBase, long kernelStackArea, long kernelStackAreaSize,
                        long deviceArea) {
    }

    private final String arch;
    private final String defaultPaging;
    private final long ramBase;
    private final long physicalLimit;
    private final List<MemRegion> reserved;
    private final int pointerBytes;
    private final Areas areas;
    private final long devicePhysical;

    /**
     * @param reserved the ranges reserved at the start of RAM whatever its size (firmware, kernel image)
     */
    protected FixedMemoryLayout(String arch, String defaultPaging, long ramBase, long physicalLimit, List<MemRegion> reserved,
                                int pointerBytes, Areas areas, long devicePhysical) {
        this.arch = arch;
        this.defaultPaging = defaultPaging;
        this.ramBase = ramBase;
        this.physicalLimit = physicalLimit;
        this.reserved = List.copyOf(reserved);
        this.pointerBytes = pointerBytes;
        this.areas = areas;
        this.devicePhysical = devicePhysical;
    }

    @Override
    public final String arch() {
        return arch;
    }

    @Override
    public final String defaultPaging() {
        return defaultPaging;
    }

    @Override
    public final long ramBase() {
        return ramBase;
    }

    @Override
    public final long physicalLimit() {
        return physicalLimit;
    }

    @Override
    public final List<MemRegion> reserved(long ramSize) {
        return reserved;
    }

    @Override
    public final int pointerBytes() {
        return pointerBytes;
    }

    @Override
    public final long userTop() {
        return areas.userTop();
    }

    @Override
    public final long mmapBase() {
        return areas.mmapBase();
    }

    @Override
    public final long kernelImageBase() {
        return areas.kernelImageBase();
    }

    @Override
    public final long kernelStackArea() {
        return areas.kernelStackArea();
    }

    @Override
    public final long kernelStackAreaSize() {
        return areas.kernelStackAreaSize();
    }

    @Override
    public final long deviceArea() {
        return areas.deviceArea();
    }

    @Override
    public final long devicePhysical() {
        return devicePhysical;
    }
}
