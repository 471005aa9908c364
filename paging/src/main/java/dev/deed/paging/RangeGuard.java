package dev.deed.paging;

/**
 * A claim on part of a kernel address space that only its owner may change. A {@link PageTable}
 * asks every guard installed on it ({@link PageTable#guard}) before {@code unmap}, {@code protect} or
 * {@code destroy} touches anything; a guard refuses by throwing its own typed exception, which names
 * what lives in the range and who uses it, and the table is left as it was. The kernel stacks install
 * one, so no kernel path can unmap or re-protect a stack that a task owns or a CPU runs on (B2).
 */
@FunctionalInterface
public interface RangeGuard {
    /**
     * Throws if {@code [va, va + size)} may not be changed by {@code op} ({@code "unmap"},
     * {@code "protect"} or {@code "destroy"}); returns normally otherwise.
     */
    void check(String op, long va, long size);
}
