package dev.deed.kernel.soak;

import dev.deed.frame.FaultPlan;
import dev.deed.frame.FaultSite;
import dev.deed.lifecycle.Choices;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One injected allocation failure for one step of a lifecycle property: fail the {@code nth}
 * allocation the step makes (at {@code site}, or at any site when it is null), or nothing. Drawn
 * from the trial's choices, so the shrinker keeps only the faults a failure needs and a replay
 * token reproduces them. The flagship property draws them; so can any property over Deed's layers.
 */
public record Fault(long nth, @Nullable FaultSite site) {
    public static final Fault NONE = new Fault(0, null);
    /** Allocations a step makes at most that a drawn fault aims at. */
    static final int MAX_NTH = 24;
    /** Any site first: the simplest choice, which shrinking lowers towards. */
    private static final List<@Nullable FaultSite> SITES = sites();

    /**
     * With probability {@code rate}, a fault at a drawn allocation and site; otherwise none. The draw
     * is oriented so that shrinking moves towards no fault.
     */
    public static Fault draw(Choices c, double rate) {
        if (rate <= 0) {
            return NONE;
        }
        long d = c.draw(1000);
        if (d < Math.round((1 - rate) * 1000)) {
            return NONE;
        }
        return new Fault(c.between(1, MAX_NTH), c.pick(SITES));
    }

    /** Makes {@code plan} fail the drawn allocation (nothing for {@link #NONE}); the caller clears the plan after the step. */
    public void arm(FaultPlan plan) {
        if (nth > 0) {
            plan.failNth(nth, site);
        }
    }

    @Override
    public String toString() {
        return nth == 0 ? "" : " [fail allocation " + nth + " at " + (site == null ? "any site" : site.cliName()) + "]";
    }

    private static List<@Nullable FaultSite> sites() {
        List<@Nullable FaultSite> all = new ArrayList<>();
        all.add(null);
        all.addAll(Arrays.asList(FaultSite.values()));
        return all;
    }
}
