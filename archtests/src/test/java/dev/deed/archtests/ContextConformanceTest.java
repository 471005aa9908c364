package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.paging.VirtAddr;
import dev.deed.task.ContextCorruptedException;
import dev.deed.task.ContextLayouts;
import dev.deed.task.RunResult;
import dev.deed.task.TaskHandle;
import dev.deed.task.TaskPanic;
import dev.deed.task.spi.ContextLayout;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The context/stack plug-in of every arch module: the frame's size and register order, alignment,
 * where a switch puts it ({@code initialFrame}), the stack-pointer and return-address slots — checked
 * statically and on a real switch, whose saved frame is read back from the kernel stack beneath the
 * scheduler. (The guard page below every stack is {@code StackOverflowTest}'s, on every arch.)
 */
class ContextConformanceTest {
    /** What each arch's manual and ABI give (bytes of the saved frame, registers in memory order). */
    private static final Map<String, List<String>> ABI = Map.of(
            "riscv64", List.of("ra", "sp", "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11"),
            "i386", List.of("edi", "esi", "ebx", "ebp", "eip"),
            "x86_64", List.of("rbx", "rbp", "r12", "r13", "r14", "r15", "rsp", "rip"));
    private static final Map<String, Integer> FRAME_BYTES = Map.of("riscv64", 112, "i386", 20, "x86_64", 64);

    static Stream<ContextLayout> layouts() {
        return ContextLayouts.available().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void theLayoutIsSelfConsistentAndTheAbis(ContextLayout layout) {
        List<String> regs = layout.registers();
        assertEquals(regs.size(), new HashSet<>(regs).size(), "registers are distinct");
        assertEquals(regs.size() * layout.wordBytes(), layout.contextBytes());
        int align = layout.stackAlignment();
        assertTrue(align >= layout.wordBytes() && Integer.bitCount(align) == 1, "alignment is a power of two of at least a word");
        assertTrue(layout.returnAddressIndex() >= 0 && layout.returnAddressIndex() < regs.size());
        assertTrue(layout.stackPointerIndex() >= -1 && layout.stackPointerIndex() < regs.size());
        assertNotEquals(layout.returnAddressIndex(), layout.stackPointerIndex());
        long top = 0xFFFF_FFD0_0000_8000L;
        for (long t : new long[] {top, top - 4, top - 8, top - 12}) {
            long frame = layout.initialFrame(t);
            assertEquals(0, frame % align, "aligned");
            assertTrue(t - frame >= layout.contextBytes() && t - frame < layout.contextBytes() + align, "just below the top");
        }
        assertTrue(layout.cpuinfo(1, 2, "fmt").startsWith("processor\t: 1\n") && layout.cpuinfo(1, 2, "fmt").endsWith("\n\n"));
        List<String> abi = ABI.get(layout.arch());
        if (abi != null) {
            assertEquals(abi, regs, layout.arch() + "'s callee-saved registers");
            assertEquals(FRAME_BYTES.get(layout.arch()), layout.contextBytes());
            assertTrue(regs.get(layout.returnAddressIndex()).matches("ra|eip|rip"), "the return address is the ABI's");
        }
    }

    /**
     * A real switch: a task records its stack pointer and yields; another reads the saved frame
     * where {@code initialFrame} says it is (each register is tagged with the task id and its index;
     * the stack-pointer slot holds the frame's address), then overwrites the return address — and the
     * first task's resumption is refused naming that register.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void aSwitchSavesTheFrameWhereTheLayoutSaysAndChecksTheReturnAddress(ContextLayout layout) {
        TaskWorld w = TaskWorld.boot(layout.arch());
        int word = layout.wordBytes();
        long[] sp = new long[1];
        TaskHandle a = w.scheduler().spawn("a", ctx -> {
            sp[0] = ctx.stackPointer();
            ctx.yieldNow();
        });
        String[] seen = new String[1];
        w.scheduler().spawnDetached("b", ctx -> {
            long frame = layout.initialFrame(sp[0]);
            StringBuilder tags = new StringBuilder();
            for (int i = 0; i < layout.registers().size(); i++) {
                long value = read(w, frame + (long) i * word, word);
                if (i == layout.stackPointerIndex()) {
                    assertEquals(frame, value, "the saved sp is the frame");
                } else {
                    tags.append((value >>> 8 & 0xFFFF) == a.tid() && (value & 0xFF) == i ? "" : "register " + i + " holds 0x"
                            + Long.toHexString(value) + "; ");
                }
            }
            seen[0] = tags.toString();
            long ra = frame + (long) layout.returnAddressIndex() * word;
            long pa = w.kernel().query(VirtAddr.of(ra)).orElseThrow().pa() + (ra & 0xFFF);
            if (word == 8) {
                w.frames().memory().writeU64(pa, 0x1234);
            } else {
                w.frames().memory().writeU32(pa, 0x1234);
            }
        });
        RunResult r = w.scheduler().run();
        assertEquals("", seen[0], "every saved register is where the layout says");
        assertEquals(1, r.panics().size(), r.toString());
        TaskPanic panic = r.panics().get(0);
        assertEquals(a.tid(), panic.tid());
        assertTrue(panic.cause() instanceof ContextCorruptedException, panic.toString());
        String message = String.valueOf(panic.cause().getMessage());
        assertTrue(message.contains("saved " + layout.registers().get(layout.returnAddressIndex()) + " at 0x")
                && message.contains("the return address"), message);
    }

    private static long read(TaskWorld w, long va, int word) {
        long pa = w.kernel().query(VirtAddr.of(va)).orElseThrow().pa() + (va & 0xFFF);
        return word == 8 ? w.frames().memory().readU64(pa) : w.frames().memory().readU32(pa);
    }
}
