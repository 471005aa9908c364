package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Segment;
import dev.deed.frame.Untracked;
import dev.deed.frame.Usage;
import dev.deed.paging.Cursor;
import dev.deed.paging.KernelSpace;
import dev.deed.paging.Mapping;
import dev.deed.paging.MappingException;
import dev.deed.paging.PageProperty;
import dev.deed.paging.PageTable;
import dev.deed.paging.VirtAddr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CursorTest {
    static java.util.List<String> formats() {
        return Arch.names();
    }

    @ParameterizedTest
    @MethodSource("formats")
    void aCursorWalksItsRangeAndNothingElse(String name) {
        Arch arch = Arch.named(name);
        FrameAllocator frames = arch.boot();
        PageTable<KernelSpace> table = PageTable.kernel(arch.format(), frames);
        long sp = arch.superPage();
        long base = arch.kernelVa();
        Cursor<KernelSpace> c = table.cursor(VirtAddr.of(base), 2 * sp);
        c.map(frames.alloc(Usage.USER), PageProperty.kernelData());
        c.map(frames.alloc(Usage.USER), PageProperty.kernelData());
        assertEquals(base + 8192, c.virtAddr().value());
        c.jump(VirtAddr.of(base + sp));
        try (Segment<Untracked> mmio = frames.untrackedRange(arch.mmio(0), sp)) {
            Cursor.mapUntracked(c, mmio, PageProperty.parse("rwg"));
        }
        assertEquals(0, c.remaining());
        var extra = frames.alloc(Usage.USER);
        assertThrows(MappingException.class, () -> c.map(extra, PageProperty.kernelData()), "beyond the range");
        extra.close(); // a refused map leaves the reference with the caller
        c.jump(VirtAddr.of(base));
        Mapping first = c.query().orElseThrow();
        assertEquals(4096, first.size());
        c.jump(VirtAddr.of(base + sp));
        assertEquals(sp, c.query().orElseThrow().size(), "the superpage as one leaf");
        c.jump(VirtAddr.of(base));
        c.unmap(8192).flush();
        assertTrue(table.query(VirtAddr.of(base)).isEmpty());
        assertThrows(MappingException.class, () -> c.jump(VirtAddr.of(base + 2 * sp)));
        assertEquals(0, frames.stats().used(Usage.USER));
        table.destroy().flush();
    }
}
