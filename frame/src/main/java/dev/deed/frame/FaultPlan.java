package dev.deed.frame;

import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Which allocations fail: the machine's deterministic fault injection, in the spirit of Linux's
 * {@code fail-nth} and {@code failslab} and of FoundationDB's simulated faults. Every allocation
 * site asks {@link #shouldFail} (or {@link #check}) before it takes anything, and a yes makes the
 * allocation fail exactly as if memory (or pids) had run out.
 *
 * <p>Two rules, each optional: fail the n-th allocation from now (at one site, or at any), once;
 * and fail a seeded fraction of allocations at chosen sites. Same rules and seed ⇒ the same
 * allocations fail, run after run. The plan belongs to one machine: {@link FrameAllocator#faults()}.
 */
public final class FaultPlan {
    private static final FaultSite[] SITES = FaultSite.values();

    private long nth;
    private @Nullable FaultSite nthSite;
    private long counted;
    private double rate;
    private Set<FaultSite> rateSites = EnumSet.noneOf(FaultSite.class);
    private SplittableRandom random = new SplittableRandom(0);
    private final long[] attempts = new long[SITES.length];
    private final long[] injected = new long[SITES.length];
    private final Set<PlantedBug> planted = EnumSet.noneOf(PlantedBug.class);

    FaultPlan() {
    }

    /**
     * Fails the {@code n}-th allocation from now ({@code n} ≥ 1) at {@code site}, or at any site if
     * {@code site} is null; only once. Replaces an earlier n-th rule.
     */
    public void failNth(long n, @Nullable FaultSite site) {
        if (n < 1) {
            throw new IllegalArgumentException("fail-nth " + n + ": n counts allocations from 1");
        }
        nth = n;
        nthSite = site;
        counted = 0;
    }

    /**
     * Fails each allocation at one of {@code sites} with probability {@code rate} (0 to 1), drawn
     * from a generator seeded with {@code seed}. Replaces an earlier rate rule; rate 0 ends it.
     */
    public void failRandomly(double rate, long seed, Set<FaultSite> sites) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("fault rate " + rate + " must be in [0, 1]");
        }
        this.rate = rate;
        this.rateSites = sites.isEmpty() ? EnumSet.noneOf(FaultSite.class) : EnumSet.copyOf(sites);
        this.random = new SplittableRandom(seed);
    }

    /** Plants {@code bug}: the paths that perform its wrong step are taken from now on ({@link PlantedBug}). */
    public void plant(PlantedBug bug) {
        planted.add(bug);
    }

    /** Whether {@code bug} is planted: asked only by the planted paths themselves. */
    public boolean isPlanted(PlantedBug bug) {
        return planted.contains(bug);
    }

    /**
     * Refuses unless {@code bug} is planted: the guard at the top of every planted path, so the wrong
     * step can never run by accident.
     */
    public void requirePlanted(PlantedBug bug) {
        if (!planted.contains(bug)) {
            throw new IllegalStateException(bug + " is not planted: its wrong step (" + bug.wrongStep()
                    + ") runs only under --inject " + bug);
        }
    }

    /** Ends both rules (planted bugs stay); counts are kept. */
    public void clear() {
        nth = 0;
        nthSite = null;
        rate = 0;
    }

    /** Whether an n-th rule is still waiting to fire. */
    public boolean nthPending() {
        return nth > 0;
    }

    /**
     * Called by an allocation site before it takes anything: counts the attempt and says whether
     * it must fail.
     */
    public boolean shouldFail(FaultSite site) {
        attempts[site.ordinal()]++;
        if (nth > 0 && (nthSite == null || nthSite == site) && ++counted == nth) {
            nth = 0;
            injected[site.ordinal()]++;
            return true;
        }
        if (rate > 0 && rateSites.contains(site) && random.nextDouble() < rate) {
            injected[site.ordinal()]++;
            return true;
        }
        return false;
    }

    /** {@link #shouldFail}, throwing the out-of-memory failure the site would see: for memory sites. */
    public void check(FaultSite site) {
        if (shouldFail(site)) {
            throw new OutOfFramesException("out of memory: injected fault at " + site.cliName() + " (attempt "
                    + attempts[site.ordinal()] + " there)");
        }
    }

    /** Allocation attempts seen at {@code site}. */
    public long attempts(FaultSite site) {
        return attempts[site.ordinal()];
    }

    /** Failures injected at {@code site}. */
    public long injected(FaultSite site) {
        return injected[site.ordinal()];
    }

    /** Failures injected at every site. */
    public long injected() {
        long n = 0;
        for (long i : injected) {
            n += i;
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("fault plan:");
        if (nth > 0) {
            b.append(" fail allocation ").append(nth).append(" at ").append(nthSite == null ? "any site" : nthSite.cliName())
                    .append(" (").append(counted).append(" counted)");
        }
        if (rate > 0) {
            b.append(" fail ").append(rate).append(" of ").append(rateSites);
        }
        if (!planted.isEmpty()) {
            b.append(" planted ").append(planted);
        }
        return nth == 0 && rate == 0 && planted.isEmpty() ? b.append(" none").toString() : b.toString();
    }
}
