package dev.deed.kernel.misuse;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One piece of user code written against Deed's API, as a whole compilation unit (class
 * {@code misuse.Snippet}), with what the build must say about it.
 *
 * @param bug      which seed bug it is about ({@code B1} … {@code B5})
 * @param form     how the code is written, in words ("direct close", "through an alias", …)
 * @param source   the compilation unit
 * @param requires the Deed module it needs
 * @param checker  true if it must go through the Resource Leak Checker (else plain javac)
 * @param expected the error key the build must report ({@code compiler.err…} or a checker key), or
 *                 null for a correct twin that must compile
 */
public record Snippet(String bug, String form, String source, String requires, boolean checker, @Nullable String expected) {

    /** Whether this is a correct twin, which must compile. */
    public boolean mustCompile() {
        return expected == null;
    }
}
