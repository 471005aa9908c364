package dev.deed.kernel.soak;

import dev.deed.frame.BadFreeException;
import dev.deed.frame.FrameStateException;
import dev.deed.heap.BadHeapFreeException;
import dev.deed.heap.LiveChildrenException;
import dev.deed.paging.StaleTranslationException;
import dev.deed.task.StackInUseException;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Names the layer that caught a failure, from the exception at the bottom of its cause chain: what
 * {@code deed soak --inject} and {@code deed boot --inject} print after "caught by".
 */
public final class CaughtBy {
    private CaughtBy() {
    }

    /** The catching layer of {@code failure}, or null when no known check is in its cause chain. */
    public static @Nullable String layer(@Nullable Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String layer = switch (t) {
                case LiveChildrenException e -> "run time: the heap's ownership check (a block that owns a live child is never freed)";
                case BadHeapFreeException e -> "run time: the heap's free check (the pointer names no live block)";
                case StackInUseException e -> "run time: the kernel-stack check (a stack in use on a CPU, or owned by a task, is never freed)";
                case FrameStateException e -> "run time: the frame allocator's minting check (only frames it just handed out get handles)";
                case BadFreeException e -> "run time: the frame allocator's free check (it takes back only frames it handed out)";
                case StaleTranslationException e ->
                        "run time: the shootdown check (a frame or node is released only when no CPU's TLB can reach it)";
                case IllegalStateException e when String.valueOf(e.getMessage()).contains("does not hold the last reference") ->
                        "run time: the reaper's last-reference check (nothing but the owner may hold a process it frees)";
                default -> null;
            };
            if (layer != null) {
                return layer + " — " + t.getClass().getSimpleName();
            }
        }
        return null;
    }
}
