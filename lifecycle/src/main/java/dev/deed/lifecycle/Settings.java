package dev.deed.lifecycle;

import java.time.Duration;
import java.util.Locale;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How much to run. {@link #fromSystemProperties()} reads, each optional:
 * {@code deed.trials}, {@code deed.steps}, {@code deed.seed} (decimal or {@code 0x} hex),
 * {@code deed.swarm} ({@code true}/{@code false}), {@code deed.timeoutMs}, {@code deed.shrinkRuns},
 * {@code deed.replay} (a token printed by a failure).
 *
 * @param trials        independent trials, each with a fresh model and system
 * @param maxSteps      steps per trial at most
 * @param seed          the root seed; trial {@code i} of property {@code p} uses a seed derived from
 *                      both, so one seed reproduces a whole run
 * @param swarm         draw per-trial action weights, switching some actions off
 * @param trialTimeout  a trial still running after this is reported as hung
 * @param maxShrinkRuns replays the shrinker may spend
 * @param replay        a replay token; when it names the property being checked, only that case runs,
 *                      and a property it does not name runs nothing
 * @param replayCommand how to replay a failure, with {@code {token}} where the token goes; null: derived
 *                      from the test that checks the property ({@code ./deed test MODULE TestClass --replay})
 */
public record Settings(int trials, int maxSteps, long seed, boolean swarm, Duration trialTimeout,
                       int maxShrinkRuns, @Nullable String replay, @Nullable String replayCommand) {

    public static final long DEFAULT_SEED = 0x5EED_DEEDL;

    public Settings {
        requirePositive("trials", trials);
        requirePositive("maxSteps", maxSteps);
        requirePositive("maxShrinkRuns", maxShrinkRuns);
        if (trialTimeout.isNegative() || trialTimeout.isZero()) {
            throw new IllegalArgumentException("trialTimeout must be positive, got " + trialTimeout);
        }
    }

    /** 100 trials of up to 50 steps, swarm on, 10 s per trial, 2000 shrink runs. */
    public static Settings defaults() {
        return new Settings(100, 50, DEFAULT_SEED, true, Duration.ofSeconds(10), 2000, null, null);
    }

    /** {@link #defaults()} overridden by the {@code deed.*} system properties. */
    public static Settings fromSystemProperties() {
        Settings s = defaults();
        s = s.withTrials(intProperty("deed.trials", s.trials));
        s = s.withMaxSteps(intProperty("deed.steps", s.maxSteps));
        String seed = System.getProperty("deed.seed");
        if (seed != null) {
            s = s.withSeed(parseSeed(seed));
        }
        String swarm = System.getProperty("deed.swarm");
        if (swarm != null) {
            s = s.withSwarm(parseBoolean("deed.swarm", swarm));
        }
        s = s.withTrialTimeout(Duration.ofMillis(intProperty("deed.timeoutMs", (int) s.trialTimeout.toMillis())));
        s = s.withMaxShrinkRuns(intProperty("deed.shrinkRuns", s.maxShrinkRuns));
        String replay = System.getProperty("deed.replay");
        if (replay != null && !replay.isBlank()) {
            ReplayToken.parse(replay); // reject a malformed token before anything runs
            s = s.withReplay(replay);
        }
        return s;
    }

    public Settings withTrials(int n) {
        return new Settings(n, maxSteps, seed, swarm, trialTimeout, maxShrinkRuns, replay, replayCommand);
    }

    public Settings withMaxSteps(int n) {
        return new Settings(trials, n, seed, swarm, trialTimeout, maxShrinkRuns, replay, replayCommand);
    }

    public Settings withSeed(long s) {
        return new Settings(trials, maxSteps, s, swarm, trialTimeout, maxShrinkRuns, replay, replayCommand);
    }

    public Settings withSwarm(boolean on) {
        return new Settings(trials, maxSteps, seed, on, trialTimeout, maxShrinkRuns, replay, replayCommand);
    }

    public Settings withTrialTimeout(Duration d) {
        return new Settings(trials, maxSteps, seed, swarm, d, maxShrinkRuns, replay, replayCommand);
    }

    public Settings withMaxShrinkRuns(int n) {
        return new Settings(trials, maxSteps, seed, swarm, trialTimeout, n, replay, replayCommand);
    }

    public Settings withReplay(@Nullable String token) {
        return new Settings(trials, maxSteps, seed, swarm, trialTimeout, maxShrinkRuns, token, replayCommand);
    }

    /** How a failure is replayed: a command with {@code {token}} where the token goes. */
    public Settings withReplayCommand(@Nullable String template) {
        return new Settings(trials, maxSteps, seed, swarm, trialTimeout, maxShrinkRuns, replay, template);
    }

    /** Parses a seed written in decimal or as {@code 0x…} hex (64 bits, two's complement). */
    public static long parseSeed(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace("_", "");
        try {
            if (t.startsWith("0x")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("seed '" + text + "' is not a decimal or 0x-hex 64-bit number", e);
        }
    }

    private static int intProperty(String key, int fallback) {
        String value = System.getProperty(key);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            requirePositive(key, n);
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "='" + value + "' is not a positive integer", e);
        }
    }

    private static boolean parseBoolean(String key, String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + "='" + value + "' must be true or false");
        };
    }

    private static void requirePositive(String what, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(what + " must be a positive integer, got " + n);
        }
    }
}
