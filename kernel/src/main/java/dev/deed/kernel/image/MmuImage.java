package dev.deed.kernel.image;

import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.FrameAllocator;
import dev.deed.frame.FrameException;
import dev.deed.frame.FrameState;
import dev.deed.frame.Machine;
import dev.deed.frame.MemoryLayouts;
import dev.deed.frame.spi.MemoryLayout;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.Segment;
import dev.deed.frame.Untracked;
import dev.deed.frame.Usage;
import dev.deed.frame.mem.PhysMemory;
import dev.deed.paging.KernelSpace;
import dev.deed.paging.Mapping;
import dev.deed.paging.MappingException;
import dev.deed.paging.PageTable;
import dev.deed.paging.PagingFormats;
import dev.deed.paging.VirtAddr;
import dev.deed.paging.spi.PagingFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds a page table from an ops file on the arch's default machine ({@link #ramFor} of RAM at
 * its default base) and writes {@code arch}, {@code ram-base}, {@code root}, {@code memory.bin} (RAM from
 * its base to the end of the highest frame in use), {@code mappings.txt} ({@code VA PA SIZE FLAGS}
 * per leaf, sorted by VA), {@code mappings-merged.txt} (the same merged as QEMU's {@code info mem}
 * prints it) and {@code qemu.sh} (loads the image into QEMU and asks its monitor, by hand). Any error
 * stops before anything is written.
 */
public final class MmuImage {
    /**
     * RAM of the machine the image is built on: what ends on the next 128 MiB boundary above the
     * arch's RAM base — 128 MiB on RISC-V (from 0x8000_0000), 127 MiB on i386 (RAM starts at 1 MiB),
     * so the allocator's smallest free unit (where it starts handing out frames) sits low, keeping
     * memory.bin small. QEMU runs the image with 256 MiB.
     */
    static long ramFor(MemoryLayout layout) {
        long unit = 128L << 20;
        return unit - Math.floorMod(layout.ramBase(), unit);
    }

    /** What was written. */
    public record Summary(String format, long ramBase, long root, long memoryBytes, List<Mapping> mappings) {
    }

    private MmuImage() {
    }

    public static Summary build(String formatName, Path opsFile, Path outDir) throws OpsFileException, IOException, OutOfFramesException {
        PagingFormat format = PagingFormats.named(formatName);
        MemoryLayout layout = MemoryLayouts.forArch(format.arch());
        String name = opsFile.toString();
        List<Op> ops = OpsFile.parse(name, Files.readAllLines(opsFile, StandardCharsets.UTF_8));
        FrameAllocator frames = FrameAllocator.boot(Machine.of(layout, ramFor(layout)));
        PageTable<KernelSpace> table = PageTable.kernel(format, frames);
        try {
            for (Op op : ops) {
                try {
                    apply(op, table, frames);
                } catch (MappingException | FrameException | IllegalArgumentException e) {
                    throw new OpsFileException(name, op.line(), String.valueOf(e.getMessage()));
                }
            }
            List<Mapping> mappings = table.mappings();
            long end = highestFrameInUse(frames);
            write(outDir, format, frames, table.rootRegister(), end, mappings);
            return new Summary(format.name(), frames.machine().ramBase().value(), table.rootRegister(),
                    end - frames.machine().ramBase().value(), mappings);
        } finally {
            table.destroy().flush();
        }
    }

    private static void apply(Op op, PageTable<KernelSpace> table, FrameAllocator frames) throws OutOfFramesException {
        switch (op) {
            case Op.Map m -> {
                requireSize(m.size());
                table.mapFresh(VirtAddr.of(m.va()), m.size(), m.props(), Usage.USER, true);
            }
            case Op.MapUntracked m -> {
                requireSize(m.size());
                try (Segment<Untracked> range = frames.untrackedRange(PhysAddr.of(m.pa()), m.size())) {
                    PageTable.mapUntracked(table, VirtAddr.of(m.va()), range, m.props());
                }
            }
            case Op.Unmap u -> table.unmap(VirtAddr.of(u.va()), u.size()).flush();
            case Op.Protect p -> table.protect(VirtAddr.of(p.va()), p.size(), p.props()).flush();
        }
    }

    private static void requireSize(long size) {
        if (size <= 0 || size % PhysAddr.PAGE_SIZE != 0) {
            throw new IllegalArgumentException(String.format("SIZE 0x%x must be a positive multiple of 0x1000", size));
        }
    }

    /** The end of the highest allocated frame (page tables and mapped frames), or the RAM base if none. */
    private static long highestFrameInUse(FrameAllocator frames) {
        Machine m = frames.machine();
        for (long at = m.ramEnd() - PhysAddr.PAGE_SIZE; at >= m.ramBase().value(); at -= PhysAddr.PAGE_SIZE) {
            FrameState state = frames.info(PhysAddr.of(at)).state();
            if (state == FrameState.UNIQUE || state == FrameState.IN_USE) {
                return at + PhysAddr.PAGE_SIZE;
            }
        }
        return m.ramBase().value();
    }

    private static void write(Path dir, PagingFormat format, FrameAllocator frames, long root, long end,
                              List<Mapping> mappings) throws IOException {
        Files.createDirectories(dir);
        long base = frames.machine().ramBase().value();
        Files.writeString(dir.resolve("arch"), format.name() + "\n");
        Files.writeString(dir.resolve("ram-base"), "0x" + Long.toHexString(base) + "\n");
        Files.writeString(dir.resolve("root"), "0x" + Long.toHexString(root) + "\n");
        StringBuilder lines = new StringBuilder();
        for (Mapping mapping : mappings) {
            lines.append(mapping.line()).append('\n');
        }
        Files.writeString(dir.resolve("mappings.txt"), lines);
        Files.writeString(dir.resolve("mappings-merged.txt"), String.join("\n", QemuListing.merged(format.name(), mappings)) + "\n");
        Path script = dir.resolve("qemu.sh");
        Files.writeString(script, Qemu.script(format.name()));
        script.toFile().setExecutable(true);
        PhysMemory memory = frames.memory();
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(dir.resolve("memory.bin"))) {
            for (long at = base; at < end; at += chunk.length) {
                int n = (int) Math.min(chunk.length, end - at);
                memory.read(at, chunk, 0, n);
                out.write(chunk, 0, n);
            }
        }
    }
}
