package dev.deed.kernel.cli;

import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What one bug's replay found in {@code deed bugs}: the original bug in one line, what Deed does,
 * and, per layer, what that layer said when the scenario ran just now — or null if it did not catch
 * it (which fails the command).
 */
final class Evidence {
    /** One layer's finding: what it caught, in its own words, or null if it caught nothing. */
    record Layer(String layer, @Nullable String evidence) {
    }

    final String id;
    final String original;
    final String deed;
    final List<Layer> layers = new ArrayList<>();

    Evidence(String id, String original, String deed) {
        this.id = id;
        this.original = original;
        this.deed = deed;
    }

    Evidence layer(String layer, @Nullable String evidence) {
        layers.add(new Layer(layer, evidence));
        return this;
    }

    /** Runs {@code scenario}, expecting it to be refused with {@code type}: the refusal's message, or null if it was not. */
    static <E extends RuntimeException> @Nullable String refusal(Class<E> type, Runnable scenario) {
        try {
            scenario.run();
            return null;
        } catch (RuntimeException e) {
            return type.isInstance(e) ? e.getClass().getSimpleName() + ": " + e.getMessage() : null;
        }
    }
}
