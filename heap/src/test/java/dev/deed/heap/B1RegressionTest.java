package dev.deed.heap;

import static dev.deed.heap.Expect.thrown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.frame.AllocatorStats;
import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Machine;
import dev.deed.frame.PlantedBug;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * B1 (tilck#228): {@code free_process_int()} freed the {@code task_and_process} struct, then read
 * {@code debug_cmdline} out of the freed struct to free the buffer. With poisoning the pointer read
 * back as {@code 0xfaabcafefaabcafe} — on riscv64 only, because Tilck poisoned only its main heaps and
 * only the riscv64 struct was big enough to live in one.
 */
class B1RegressionTest {
    private static final long MIB = 1L << 20;

    private static Machine machine(String arch) {
        return TestMachines.machine(arch, 64 * MIB);
    }

    @ParameterizedTest
    @ValueSource(strings = {"riscv64", "i386"})
    void theStructLandsInTheHeapTilcksBugDependedOn(String arch) {
        KernelHeap heap = KernelHeap.create(FrameAllocator.boot(machine(arch)), TestMachines.config(arch));
        StructLayout layout = TaskAndProcess.layout(heap.config().pointerBytes());
        try (Block proc = heap.kmalloc(layout.size())) {
            boolean small = proc.size() <= KernelHeap.SMALL_MAX;
            assertEquals(arch.equals("i386"), small, arch + ": " + layout.size() + "-byte struct in a block of " + proc.size());
        }
    }

    /** Tilck's old order through the unchecked path: with every heap poisoned, both architectures catch it. */
    @ParameterizedTest
    @ValueSource(strings = {"riscv64", "i386"})
    void poisoningEveryHeapCatchesTheOldOrderOnBothArchitectures(String arch) {
        KernelHeap heap = KernelHeap.create(FrameAllocator.boot(machine(arch)), TestMachines.config(arch));
        long cmdlinePointer = oldOrderFreeStructThenReadPointer(heap);
        assertEquals(heap.config().poisonPointer(), cmdlinePointer);
        thrown(BadHeapFreeException.class, () -> heap.freeRaw(cmdlinePointer),
                "kfree(0x" + Long.toHexString(heap.config().poisonPointer()) + ")", "no heap owns",
                "poison pattern 0xfaabcafe", "read from freed memory", "nothing was freed");
        assertEquals(1, heap.stats().liveBlocks(), "the command-line buffer leaked, nothing else changed");
    }

    /** The same with Tilck's policy (only main heaps poisoned): caught on riscv64, silent on i386. */
    @ParameterizedTest
    @ValueSource(strings = {"riscv64", "i386"})
    void tilcksPolicyHidesTheBugWhereTheStructIsInASmallHeap(String arch) {
        HeapConfig tilck = TestMachines.config(arch).withPoison(PoisonPolicy.MAIN_HEAPS_ONLY);
        KernelHeap heap = KernelHeap.create(FrameAllocator.boot(machine(arch)), tilck);
        long cmdlinePointer = oldOrderFreeStructThenReadPointer(heap);
        if (arch.equals("riscv64")) {
            thrown(BadHeapFreeException.class, () -> heap.freeRaw(cmdlinePointer), "read from freed memory");
        } else {
            heap.freeRaw(cmdlinePointer); // the stale pointer still reads back valid: the use-after-free is silent
            assertEquals(0, heap.stats().liveBlocks());
        }
    }

    /**
     * Through Deed's API the old order cannot be written (a container has no close(); its free frees
     * the children first), and C's kfree of the struct first — the unchecked raw path — is refused
     * while it owns the live buffer, changing nothing. The right order returns every frame.
     */
    @ParameterizedTest
    @ValueSource(strings = {"riscv64", "i386"})
    void theOldOrderIsRefusedEvenRawAndTheContainersFreeReturnsEverything(String arch) {
        FrameAllocator frames = FrameAllocator.boot(machine(arch));
        AllocatorStats before = frames.stats();
        KernelHeap heap = KernelHeap.create(frames, TestMachines.config(arch));
        StructLayout layout = TaskAndProcess.layout(heap.config().pointerBytes());

        Container proc = heap.kzallocContainer(layout.size());
        proc.label("task_and_process");
        Child cmdline = proc.kzallocChild(layout.field("debug_cmdline"), 64);
        cmdline.label("debug_cmdline");
        proc.write(layout.field("pid"), 42);

        HeapStats held = heap.stats();
        thrown(LiveChildrenException.class, () -> heap.freeRaw(proc.address()), "cannot free block 'task_and_process'",
                "still owns live block 'debug_cmdline' 0x" + Long.toHexString(cmdline.address()), "Nothing was freed");
        assertEquals(held, heap.stats());
        assertEquals(42, proc.read(layout.field("pid")), "the refused free changed nothing");
        assertEquals(cmdline.address(), proc.read(layout.field("debug_cmdline")));

        proc.free();
        thrown(RevokedBlockException.class, () -> proc.read(layout.field("debug_cmdline")), "after it was freed");
        assertNull(heap.verify());
        assertEquals(0, heap.stats().liveBlocks());
        heap.shrink();
        assertEquals(0, heap.stats().framesHeld());
        frames.drainCpuCaches();
        assertEquals(before, frames.stats(), "the heap returned every frame it took");
    }

    /** The planted B1 path exists only while B1 is planted, and is refused like any raw free. */
    @ParameterizedTest
    @ValueSource(strings = {"riscv64", "i386"})
    void thePlantedKfreeRunsOnlyWhenPlanted(String arch) {
        FrameAllocator frames = FrameAllocator.boot(machine(arch));
        KernelHeap heap = KernelHeap.create(frames, TestMachines.config(arch));
        StructLayout layout = TaskAndProcess.layout(heap.config().pointerBytes());
        Container proc = heap.kzallocContainer(layout.size());
        proc.kzallocChild(layout.field("debug_cmdline"), 64);
        thrown(IllegalStateException.class, () -> heap.plantedKfree(proc.address()), "B1 is not planted", "--inject B1");
        frames.faults().plant(PlantedBug.B1);
        thrown(LiveChildrenException.class, () -> heap.plantedKfree(proc.address()), "still owns live");
        assertEquals(2, heap.stats().liveBlocks());
        proc.free();
        assertEquals(0, heap.stats().liveBlocks());
    }

    /** Frees the struct first (Tilck's old order), then reads debug_cmdline out of the freed memory. */
    private static long oldOrderFreeStructThenReadPointer(KernelHeap heap) {
        StructLayout layout = TaskAndProcess.layout(heap.config().pointerBytes());
        Field debugCmdline = layout.field("debug_cmdline");
        Block proc = heap.kzalloc(layout.size());
        Block cmdline = heap.kmalloc(64);
        long procAddress = proc.address();
        proc.write(debugCmdline, cmdline.address());
        heap.freeRaw(procAddress);                          // kfree(pi): the container first
        long pointer = heap.config().pointerBytes() == 8     // then pi->debug_cmdline, read from freed memory
                ? heap.memory().readU64(procAddress + debugCmdline.offset())
                : heap.memory().readU32(procAddress + debugCmdline.offset());
        assertTrue(proc.isFreed());
        assertTrue(cmdline.owner() == null);
        return pointer;
    }
}
