package dev.deed.kernel.cli;

import dev.deed.kernel.boot.KernelConfig;
import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.AllocatorStats;
import dev.deed.frame.BadFreeException;
import dev.deed.frame.Frame;
import dev.deed.frame.FrameAllocator;
import dev.deed.frame.FrameStateException;
import dev.deed.frame.Machine;
import dev.deed.frame.PhysAddr;
import dev.deed.frame.PlantedBug;
import dev.deed.frame.Segment;
import dev.deed.frame.Tracked;
import dev.deed.frame.Usage;
import java.lang.reflect.InaccessibleObjectException;
import org.checkerframework.checker.nullness.qual.Nullable;

/** B3 for {@code deed bugs}: the forgery does not compile, the mint and the foreign free are refused on an allocator in use. */
final class B3Evidence {
    private B3Evidence() {
    }

    static Evidence run() throws OutOfFramesException {
        Evidence e = new Evidence("B3", "Asterinas #1760: a test forged Page::from_unused(0x1000), dropped it, and the allocator"
                + " hung at 100 pages", "only the allocator mints tracked frames, only for frames it just handed out; a foreign"
                + " free is refused and changes nothing; every allocator operation is bounded");
        e.layer("build (javac + JPMS)", SnippetCompiler.firstError("""
                package misuse;
                import dev.deed.frame.*;
                class Snippet {
                    Frame<Tracked> forge(FrameAllocator a) { return Frame.fromUnused(a, PhysAddr.of(0x1000)); }
                }
                """, "dev.deed.frame", false).<@Nullable String>map(key -> "forging fails with " + key).orElse(null));
        @Nullable String reflection = null;
        try {
            Frame.class.getDeclaredMethod("fromUnused", FrameAllocator.class, PhysAddr.class).setAccessible(true);
        } catch (InaccessibleObjectException refused) {
            reflection = "reflection refused: " + refused.getClass().getSimpleName();
        } catch (NoSuchMethodException gone) {
            reflection = null;
        }
        e.layer("run time (strong encapsulation)", reflection);

        FrameAllocator frames = FrameAllocator.boot(Machine.defaultFor(KernelConfig.DEFAULT_ARCH, 64L << 20)); // RAM from 0x80000000: 0x1000 was never RAM
        frames.faults().plant(PlantedBug.B3);
        try (Segment<Tracked> held = frames.allocContiguous(Usage.KERNEL, 37); // an allocator in use: frames held,
             Frame<Tracked> one = frames.alloc(Usage.USER)) {                 // some freed again, magazines warm
            frames.alloc(Usage.USER).close();
            frames.allocContiguous(Usage.KERNEL, 3).close();
            AllocatorStats before = frames.stats();
            e.layer("run time (mint check, inside the frame module: from_unused(0x1000))",
                    Evidence.refusal(FrameStateException.class, frames::plantedForgedDrop));
            e.layer("run time (free check: the drop of a frame it never handed out)",
                    Evidence.refusal(BadFreeException.class, () -> frames.raw().dropRaw(PhysAddr.of(0x1000))));
            e.layer("allocator state after both refusals", before.equals(frames.stats()) ? "unchanged, count for count" : null);
            long started = System.nanoTime(); // shown to the user only
            try (Segment<Tracked> ten = frames.allocContiguous(Usage.KERNEL, 10);
                 Segment<Tracked> hundred = frames.allocContiguous(Usage.KERNEL, 100)) {
                long micros = (System.nanoTime() - started) / 1000;
                e.layer("then 10 and 100 frames", ten.frames() + hundred.frames() == 110 && held.frames() + 1 == 38 && !one.isClosed()
                        ? "both allocated on the allocator in use, in " + micros + " µs: nothing hangs" : null);
            }
        }
        return e;
    }
}
