package dev.deed.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.frame.Machine;
import dev.deed.frame.MemRegion;
import dev.deed.frame.MemoryLayouts;
import dev.deed.frame.spi.MemoryLayout;
import dev.deed.paging.PagingFormats;
import dev.deed.paging.spi.PagingFormat;
import dev.deed.task.ContextLayouts;
import dev.deed.task.spi.ContextLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every arch module's memory layout is one a kernel can boot on: it names an architecture whose
 * context layout and paging formats are present, its default format is one of them, RAM and its
 * reserved ranges fit what the paging reaches, the pointer is the context's word, and every virtual
 * address it gives is canonical in every format of the architecture, user ones below the user top and
 * kernel ones above it, the kernel's areas apart. An arch module subclasses it with its name.
 */
public abstract class MemoryLayoutConformanceKit {
    private final MemoryLayout layout;

    /** The kit for {@code arch}'s layout, found as the kernel finds it (ServiceLoader). */
    protected MemoryLayoutConformanceKit(String arch) {
        this.layout = MemoryLayouts.forArch(arch);
    }

    @Test
    void theLayoutFitsItsArchitecture() {
        String arch = layout.arch();
        ContextLayout context = ContextLayouts.available().stream().filter(c -> c.arch().equals(arch)).findFirst()
                .orElseThrow(() -> new AssertionError(arch + " has no context layout"));
        List<PagingFormat> formats = PagingFormats.available().stream().filter(f -> f.arch().equals(arch)).toList();
        assertFalse(formats.isEmpty(), arch + " has paging formats");
        assertTrue(formats.stream().anyMatch(f -> f.name().equals(layout.defaultPaging())), "the default format is the arch's");
        assertEquals(context.wordBytes(), layout.pointerBytes(), "a pointer is a register word");
        assertEquals(layout.getClass(), MemoryLayouts.forArch(arch).getClass(), "found by its name");

        Machine machine = Machine.of(layout, 256L << 20);
        assertEquals(layout.ramBase(), machine.ramBase().value());
        assertTrue(layout.ramBase() + (256L << 20) <= layout.physicalLimit(), "256 MiB of RAM is addressable");
        long reservedEnd = machine.reserved().stream().mapToLong(MemRegion::end).max().orElse(layout.ramBase());
        assertTrue(reservedEnd - layout.ramBase() < 16L << 20, "the reserved ranges leave room in the smallest machine");
        assertFalse(machine.inRam(layout.devicePhysical()), "device memory is outside RAM");
        assertTrue(layout.devicePhysical() < layout.physicalLimit(), "device memory is addressable");

        for (PagingFormat f : formats) {
            String where = arch + "/" + f.name() + ": ";
            assertTrue(Long.compareUnsigned(layout.userTop(), f.lowerHalfEnd()) <= 0, where + "user space is in the lower half");
            assertTrue(layout.mmapBase() > 0 && layout.mmapBase() < layout.userTop(), where + "mmap starts in user space");
            long image = layout.kernelImageBase();
            long imageEnd = image + (reservedEnd - layout.ramBase());
            long stacks = layout.kernelStackArea();
            long stacksEnd = stacks + layout.kernelStackAreaSize();
            long devices = layout.deviceArea();
            for (long va : new long[] {image, imageEnd - 1, stacks, stacksEnd - 1, devices}) {
                assertTrue(f.isCanonical(va), where + "0x" + Long.toHexString(va) + " is canonical");
                assertTrue(Long.compareUnsigned(va, layout.userTop()) >= 0, where + "0x" + Long.toHexString(va) + " is not user space");
            }
            assertTrue(disjoint(image, imageEnd, stacks, stacksEnd), where + "the image and the stacks are apart");
            assertFalse(Long.compareUnsigned(devices, stacks) >= 0 && Long.compareUnsigned(devices, stacksEnd) < 0,
                    where + "devices are not in the stack area");
            assertFalse(Long.compareUnsigned(devices, image) >= 0 && Long.compareUnsigned(devices, imageEnd) < 0,
                    where + "devices are not in the image");
        }
    }

    private static boolean disjoint(long a, long aEnd, long b, long bEnd) {
        return Long.compareUnsigned(aEnd, b) <= 0 || Long.compareUnsigned(bEnd, a) <= 0;
    }
}
