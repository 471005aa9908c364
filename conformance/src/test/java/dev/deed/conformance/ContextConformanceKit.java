package dev.deed.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Machine;
import dev.deed.frame.MemoryLayouts;
import dev.deed.paging.KernelSpace;
import dev.deed.paging.PageTable;
import dev.deed.paging.PagingFormats;
import dev.deed.paging.VirtAddr;
import dev.deed.task.ContextCorruptedException;
import dev.deed.task.ContextLayouts;
import dev.deed.task.RunResult;
import dev.deed.task.Scheduler;
import dev.deed.task.SchedulerConfig;
import dev.deed.task.TaskHandle;
import dev.deed.task.TaskPanic;
import dev.deed.task.spi.ContextLayout;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The context/stack plug-in of an arch module: the frame's size and register order against the ABI,
 * alignment, where a switch puts it ({@code initialFrame}), the stack-pointer and return-address
 * slots — checked statically and on a real switch, whose saved frame is read back from the kernel
 * stack beneath the scheduler. An arch module subclasses it in its tests with its ABI:
 * <pre>{@code
 * class Rv64ContextConformanceTest extends ContextConformanceKit {
 *     Rv64ContextConformanceTest() { super("riscv64", List.of("ra", "sp", "s0", …, "s11"), 112); }
 * }
 * }</pre>
 */
public abstract class ContextConformanceKit {
    private final ContextLayout layout;
    private final List<String> abi;
    private final int frameBytes;

    /** {@code abi}: the callee-saved registers in memory order as the ABI gives them; {@code frameBytes}: the frame's size. */
    protected ContextConformanceKit(String arch, List<String> abi, int frameBytes) {
        this.layout = ContextLayouts.available().stream().filter(c -> c.arch().equals(arch)).findFirst()
                .orElseThrow(() -> new AssertionError("no context layout for " + arch + " is registered with the ServiceLoader"));
        this.abi = List.copyOf(abi);
        this.frameBytes = frameBytes;
    }

    @Test
    void theLayoutIsSelfConsistentAndTheAbis() {
        List<String> regs = layout.registers();
        assertEquals(abi, regs, layout.arch() + "'s callee-saved registers");
        assertEquals(frameBytes, layout.contextBytes());
        assertEquals(regs.size(), new HashSet<>(regs).size(), "registers are distinct");
        assertEquals(regs.size() * layout.wordBytes(), layout.contextBytes());
        int align = layout.stackAlignment();
        assertTrue(align >= layout.wordBytes() && Integer.bitCount(align) == 1, "alignment is a power of two of at least a word");
        assertTrue(layout.returnAddressIndex() >= 0 && layout.returnAddressIndex() < regs.size());
        assertTrue(layout.stackPointerIndex() >= -1 && layout.stackPointerIndex() < regs.size());
        assertNotEquals(layout.returnAddressIndex(), layout.stackPointerIndex());
        long top = MemoryLayouts.forArch(layout.arch()).kernelStackArea() + 0x8000;
        for (long t : new long[] {top, top - 4, top - 8, top - 12}) {
            long frame = layout.initialFrame(t);
            assertEquals(0, frame % align, "aligned");
            assertTrue(t - frame >= layout.contextBytes() && t - frame < layout.contextBytes() + align, "just below the top");
        }
        assertTrue(layout.cpuinfo(1, 2, "fmt").startsWith("processor\t: 1\n") && layout.cpuinfo(1, 2, "fmt").endsWith("\n\n"));
    }

    /**
     * A real switch: a task records its stack pointer and yields; another reads the saved frame
     * where {@code initialFrame} says it is (each register is tagged with the task id and its index;
     * the stack-pointer slot holds the frame's address), then overwrites the return address — and the
     * first task's resumption is refused naming that register.
     */
    @Test
    void aSwitchSavesTheFrameWhereTheLayoutSaysAndChecksTheReturnAddress() {
        FrameAllocator frames = FrameAllocator.boot(Machine.defaultFor(layout.arch(), 256L << 20));
        PageTable<KernelSpace> kernel = PageTable.kernel(PagingFormats.named(frames.layout().defaultPaging()), frames);
        Scheduler scheduler = Scheduler.create(SchedulerConfig.defaults(), frames, kernel);
        int word = layout.wordBytes();
        long[] sp = new long[1];
        TaskHandle a = scheduler.spawn("a", ctx -> {
            sp[0] = ctx.stackPointer();
            ctx.yieldNow();
        });
        String[] seen = new String[1];
        scheduler.spawnDetached("b", ctx -> {
            long frame = layout.initialFrame(sp[0]);
            StringBuilder tags = new StringBuilder();
            for (int i = 0; i < layout.registers().size(); i++) {
                long value = read(frames, kernel, frame + (long) i * word, word);
                if (i == layout.stackPointerIndex()) {
                    assertEquals(frame, value, "the saved sp is the frame");
                } else {
                    tags.append((value >>> 8 & 0xFFFF) == a.tid() && (value & 0xFF) == i ? "" : "register " + i + " holds 0x"
                            + Long.toHexString(value) + "; ");
                }
            }
            seen[0] = tags.toString();
            long ra = frame + (long) layout.returnAddressIndex() * word;
            long pa = kernel.query(VirtAddr.of(ra)).orElseThrow().pa() + (ra & 0xFFF);
            if (word == 8) {
                frames.memory().writeU64(pa, 0x1234);
            } else {
                frames.memory().writeU32(pa, 0x1234);
            }
        });
        RunResult r = scheduler.run();
        assertEquals("", seen[0], "every saved register is where the layout says");
        assertEquals(1, r.panics().size(), r.toString());
        TaskPanic panic = r.panics().get(0);
        assertEquals(a.tid(), panic.tid());
        assertTrue(panic.cause() instanceof ContextCorruptedException, panic.toString());
        String message = String.valueOf(panic.cause().getMessage());
        assertTrue(message.contains("saved " + layout.registers().get(layout.returnAddressIndex()) + " at 0x")
                && message.contains("the return address"), message);
    }

    private static long read(FrameAllocator frames, PageTable<KernelSpace> kernel, long va, int word) {
        long pa = kernel.query(VirtAddr.of(va)).orElseThrow().pa() + (va & 0xFFF);
        return word == 8 ? frames.memory().readU64(pa) : frames.memory().readU32(pa);
    }
}
