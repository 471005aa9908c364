package dev.deed.archtests;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.frame.Frame;
import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Machine;
import dev.deed.frame.PhysAddr;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The frame module's rules as a user's module meets them: each misuse fails to compile with the
 * expected key (javac/JPMS or the Resource Leak Checker) and the correct use compiles.
 */
class FrameMisuseTest {
    private static final List<String> FRAME = List.of("dev.deed.frame");
    private static final String IMPORTS = "package misuse;\nimport dev.deed.frame.*;\n";

    @Test
    void forgingATrackedFrameDoesNotCompile() { // B3: Asterinas' test called Page::from_unused(0x1000, meta)
        var r = MisuseCompiler.compile(IMPORTS + """
                class Snippet {
                    Frame<Tracked> forge(FrameAllocator a) {
                        return Frame.fromUnused(a, PhysAddr.of(0x1000));
                    }
                }
                """, FRAME, null, false);
        assertTrue(r.hasError("compiler.err.not.def.public.cant.access"), r.toString());
    }

    @Test
    void subclassingAHandleOrATrackingKindDoesNotCompile() {
        var handle = MisuseCompiler.compile(IMPORTS + """
                abstract class Snippet extends Frame<Tracked> { }
                """, FRAME, null, false);
        assertTrue(handle.hasError("compiler.err.cant.inherit.from.final"), handle.toString());
        var kind = MisuseCompiler.compile(IMPORTS + """
                final class Snippet implements Tracking { }
                """, FRAME, null, false);
        assertTrue(kind.hasError("compiler.err.cant.inherit.from.sealed"), kind.toString());
    }

    @Test
    void castingATrackedFrameToUntrackedFailsTheBuildsLint() {
        var r = MisuseCompiler.compile(IMPORTS + """
                class Snippet {
                    @SuppressWarnings("rawtypes")
                    Frame<Untracked> launder(FrameAllocator a) {
                        Frame raw = a.alloc(Usage.USER);
                        @SuppressWarnings("unused") Frame<Untracked> u = (Frame<Untracked>) raw;
                        return u;
                    }
                }
                """, FRAME, null, true);
        assertTrue(r.hasError("compiler.err.warnings.and.werror"), r.toString());
    }

    @Test
    void dropingATrackedFrameWithoutClosingItIsALeak() {
        var r = MisuseCompiler.compile(IMPORTS + """
                class Snippet {
                    long leak(FrameAllocator a) {
                        Frame<Tracked> f = a.alloc(Usage.USER);
                        return f.addr().value();
                    }
                }
                """, FRAME, MisuseCompiler.RESOURCE_LEAK, false);
        assertTrue(r.hasError("required.method.not.called"), r.toString());
    }

    @Test
    void forgettingToCloseASegmentIsALeak() {
        var r = MisuseCompiler.compile(IMPORTS + """
                class Snippet {
                    long leak(FrameAllocator a) {
                        Segment<Tracked> s = a.allocContiguous(Usage.KERNEL, 8);
                        return s.frames();
                    }
                }
                """, FRAME, MisuseCompiler.RESOURCE_LEAK, false);
        assertTrue(r.hasError("required.method.not.called"), r.toString());
    }

    @Test
    void closingEveryHandleCompilesCleanUnderTheLeakChecker() {
        var r = MisuseCompiler.compile(IMPORTS + """
                import org.checkerframework.checker.mustcall.qual.Owning;
                class Snippet {
                    long use(FrameAllocator a) {
                        try (Frame<Tracked> f = a.alloc(Usage.USER);
                             Segment<Tracked> s = a.allocContiguous(Usage.KERNEL, 8)) {
                            Frame<Tracked> second = f.share();
                            give(second);
                            return f.addr().value() + s.frames();
                        }
                    }
                    void give(@Owning Frame<Tracked> frame) {
                        frame.close();
                    }
                }
                """, FRAME, MisuseCompiler.RESOURCE_LEAK, true);
        assertTrue(r.compiled(), r.toString());
    }

    @Test
    void rawPhysicalMemoryIsNotReachableWithoutTheQualifiedExport() {
        var r = MisuseCompiler.compile(IMPORTS + """
                class Snippet {
                    long peek(FrameAllocator a) {
                        dev.deed.frame.mem.PhysMemory m = a.memory();
                        return m.readU64(0x80000000L);
                    }
                }
                """, FRAME, null, false);
        assertTrue(r.hasError("compiler.err.package.not.visible"), r.toString());
    }

    @Test
    void reflectionIntoFrameInternalsFailsAtRunTime() throws ReflectiveOperationException {
        Method fromUnused = Frame.class.getDeclaredMethod("fromUnused", FrameAllocator.class, PhysAddr.class);
        assertThrows(InaccessibleObjectException.class, () -> fromUnused.setAccessible(true));
        assertThrows(IllegalAccessException.class,
                () -> fromUnused.invoke(null, FrameAllocator.boot(Machine.defaultFor("riscv64", 16 << 20)), PhysAddr.of(0x1000)));

        Method takeBlock = Class.forName("dev.deed.frame.FrameTable").getDeclaredMethod("takeBlock", int.class);
        assertThrows(InaccessibleObjectException.class, () -> takeBlock.setAccessible(true));

        // archtests is given raw memory (its conformance kit reads page tables), but exported is not opened:
        java.lang.reflect.Field chunks = dev.deed.frame.mem.PhysMemory.class.getDeclaredField("chunks");
        assertThrows(InaccessibleObjectException.class, () -> chunks.setAccessible(true));
    }
}
