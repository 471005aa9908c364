package dev.deed.kernel.cli;

import dev.deed.frame.FaultPlan;
import dev.deed.frame.FaultSite;
import java.util.function.Consumer;
import org.checkerframework.checker.nullness.qual.Nullable;
import picocli.CommandLine.Option;

/** {@code --fail-nth N [--fail-site SITE]}: make one allocation of the run fail on purpose. */
@SuppressWarnings("initialization.field.uninitialized") // picocli injects the options
final class FaultOptions {
    @Option(names = "--fail-nth", paramLabel = "N",
            description = "Make the N-th allocation after init starts fail (as if memory or pids had run out); a refused call must change nothing.")
    @Nullable Long nth;

    @Option(names = "--fail-site", paramLabel = "SITE",
            description = "Count only allocations at SITE: frame, page-table, heap, kernel-stack, pid. Default: any site.")
    @Nullable String site;

    /** What to do to the machine's fault plan, validated: bad values are usage errors naming what is allowed. */
    Consumer<FaultPlan> arm() {
        Long n = nth;
        String s = site;
        if (n == null) {
            if (s != null) {
                throw new DeedCli.UsageFailure("deed: --fail-site needs --fail-nth");
            }
            return plan -> { };
        }
        if (n < 1) {
            throw new DeedCli.UsageFailure("deed: --fail-nth " + n + " must be at least 1 (allocations are counted from 1)");
        }
        FaultSite where;
        try {
            where = s == null ? null : FaultSite.parse(s);
        } catch (IllegalArgumentException e) {
            throw new DeedCli.UsageFailure("deed: --fail-site: " + e.getMessage());
        }
        return plan -> plan.failNth(n, where);
    }

    /** One line saying what the plan was asked and whether it fired. */
    @Nullable String report(long injected) {
        Long n = nth;
        if (n == null) {
            return null;
        }
        String what = "allocation " + n + " at " + (site == null ? "any site" : site);
        return injected > 0 ? "── fault injection: " + what + " was made to fail"
                : "── fault injection: " + what + " never came (the run made fewer such allocations)";
    }
}
