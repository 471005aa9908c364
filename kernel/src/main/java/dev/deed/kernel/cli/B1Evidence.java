package dev.deed.kernel.cli;

import dev.deed.kernel.boot.KernelConfig;
import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Machine;
import dev.deed.frame.PlantedBug;
import dev.deed.heap.BadHeapFreeException;
import dev.deed.heap.Block;
import dev.deed.heap.Container;
import dev.deed.heap.HeapConfig;
import dev.deed.heap.KernelHeap;
import dev.deed.heap.LiveChildrenException;
import dev.deed.heap.StructLayout;
import dev.deed.kernel.misuse.ContainerMisuse;
import dev.deed.kernel.misuse.Snippet;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;

/** B1 for {@code deed bugs}: every build-time form compiled now, the raw free refused, the poison read back. */
final class B1Evidence {
    private B1Evidence() {
    }

    static Evidence run() throws OutOfFramesException {
        Evidence e = new Evidence("B1", "Tilck #228: free_process_int() freed the process struct, then read debug_cmdline out of it"
                + " (0xfaabcafe...)", "a struct owns its buffer as a Container: nothing can free the struct first, its free frees"
                + " the buffer first; a raw kfree of it is refused; every heap is poisoned");
        boolean checker = SnippetCompiler.checkerPath().isPresent();
        for (Snippet s : ContainerMisuse.all()) {
            String layer = "build, " + s.form() + (s.checker() ? " (Resource Leak Checker)" : " (javac)");
            if (s.checker() && !checker) {
                e.layer(layer, "not run here (no Checker Framework jars next to the CLI)");
                continue;
            }
            Optional<String> error;
            try {
                error = SnippetCompiler.firstError(s.source(), s.requires(), s.checker());
            } catch (RuntimeException | LinkageError notLoaded) {
                e.layer(layer, "not run here (the checker could not load in this JVM: " + notLoaded.getClass().getSimpleName() + ")");
                continue;
            }
            if (s.mustCompile()) {
                e.layer(layer, error.isEmpty() ? "the correct twin compiles" : null);
            } else {
                String key = String.valueOf(s.expected());
                e.layer(layer, error.filter(k -> k.equals(key) || k.equals("[" + key + "]")).map(k -> "rejected: " + k).orElse(null));
            }
        }
        FrameAllocator frames = FrameAllocator.boot(Machine.defaultFor(KernelConfig.DEFAULT_ARCH, 64L << 20));
        frames.faults().plant(PlantedBug.B1);
        KernelHeap heap = KernelHeap.create(frames, HeapConfig.forMachine(frames.machine()));
        StructLayout layout = StructLayout.builder("task_and_process", 8).u32("pid").bytes("regs", 2040).pointer("debug_cmdline").build();
        Container struct = heap.kzallocContainer(layout.size());
        try {
            struct.label("task_and_process");
            struct.kzallocChild(layout.field("debug_cmdline"), 64).label("debug_cmdline");
            e.layer("run time (kfree of the struct first, by address, as C would)",
                    Evidence.refusal(LiveChildrenException.class, () -> heap.plantedKfree(struct.address())));
        } finally {
            struct.free();
        }
        e.layer("poisoning (every heap), without ownership recorded", poisonedPointer(frames, heap, layout));
        return e;
    }

    /**
     * Tilck's old order on blocks that record no ownership: the struct is freed first (its own handle
     * closes it; nothing ties the buffer to it), and the pointer read back from its freed memory is
     * the poison, which a raw kfree then refuses.
     */
    private static @Nullable String poisonedPointer(FrameAllocator frames, KernelHeap heap, StructLayout layout) throws OutOfFramesException {
        long field = layout.field("debug_cmdline").offset();
        try (Block cmdline = heap.kmalloc(64)) {
            long address;
            try (Block struct = heap.kzalloc(layout.size())) {
                address = struct.address();
                struct.writePointer(field, cmdline.address());
            } // the struct first
            long pointer = frames.memory().readU64(address + field);
            return Evidence.refusal(BadHeapFreeException.class, () -> heap.plantedKfree(pointer));
        }
    }
}
