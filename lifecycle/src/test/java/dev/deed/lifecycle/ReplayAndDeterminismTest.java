package dev.deed.lifecycle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayAndDeterminismTest {
    private final Settings settings = Settings.defaults().withTrials(200).withMaxSteps(60);

    @Test
    void theReplayTokenReproducesExactlyTheShrunkCase() {
        var property = ToyModels.allocator(true);
        Counterexample c = property.run(settings).counterexample();
        assertNotNull(c);
        TrialResult replayed = property.replay(ReplayToken.parse(c.replay().encode()), settings);
        assertEquals(c.steps(), replayed.steps());
        assertNotNull(replayed.failure());
        assertEquals(c.failure().signature(), replayed.failure().signature());
    }

    @Test
    void aReplaySettingRunsOnlyThatCase() {
        var property = ToyModels.counter();
        Counterexample c = property.run(settings).counterexample();
        assertNotNull(c);
        Outcome replay = property.run(settings.withReplay(c.replay().encode()));
        assertEquals(1, replay.trials());
        assertNotNull(replay.counterexample());
        assertEquals(c.steps(), replay.counterexample().steps());
    }

    @Test
    void aReplayTokenForAnotherPropertyRunsNothingHereAndIsRefusedByReplay() {
        var allocator = ToyModels.allocator(false);
        var token = new ReplayToken("someone-else", true, new long[] {1, 2, 3});
        Outcome outcome = allocator.run(settings.withReplay(token.encode()));
        assertTrue(outcome.passed());
        assertEquals(0, outcome.trials(), "a replay runs only the property it names");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> allocator.replay(token, settings));
        assertTrue(e.getMessage().contains("'someone-else'"), e.getMessage());
    }

    @Test
    void everyReplayIsLoggedAsFailingAgainOrPassingNow() throws java.io.IOException {
        java.nio.file.Path log = java.nio.file.Files.createTempFile("deed-replay", ".log");
        String old = System.getProperty("deed.replayLog");
        System.setProperty("deed.replayLog", log.toString());
        try {
            Counterexample c = ToyModels.counter().run(settings).counterexample();
            assertNotNull(c);
            ToyModels.counter().run(settings.withReplay(c.replay().encode()));
            var fixed = LifecycleProperty.<ToyModels.Live, ToyModels.LeakyCounter>named("toy-counter")
                    .model(ToyModels.Live::new).system(m -> new ToyModels.LeakyCounter())
                    .action("open", (ch, m) -> Step.of("open", (sys, model) -> model.ids.add(sys.open()))).build();
            fixed.run(settings.withReplay(c.replay().encode()));
            List<String> lines = java.nio.file.Files.readAllLines(log);
            assertEquals(2, lines.size(), lines.toString());
            assertTrue(lines.get(0).startsWith("toy-counter fails again at step 3 of 3: invariant 'open count matches'"), lines.get(0));
            assertTrue(lines.get(1).startsWith("toy-counter passes now (replayed "), lines.get(1));
        } finally {
            if (old == null) {
                System.clearProperty("deed.replayLog");
            } else {
                System.setProperty("deed.replayLog", old);
            }
            java.nio.file.Files.deleteIfExists(log);
        }
    }

    @Test
    void theReplaySystemPropertyReachesCheck() {
        var property = ToyModels.counter();
        Counterexample c = property.run(settings).counterexample();
        assertNotNull(c);
        String old = System.getProperty("deed.replay");
        System.setProperty("deed.replay", c.replay().encode());
        try {
            PropertyFailure failure = assertThrows(PropertyFailure.class, property::check);
            assertTrue(failure.getMessage().startsWith("Lifecycle property 'toy-counter' failed on replay"),
                    failure.getMessage());
            assertEquals(c.steps(), failure.counterexample().steps());
        } finally {
            if (old == null) {
                System.clearProperty("deed.replay");
            } else {
                System.setProperty("deed.replay", old);
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnother() {
        var property = ToyModels.allocator(false);
        List<long[]> first = recordRun(property, settings.withSeed(42));
        List<long[]> second = recordRun(property, settings.withSeed(42));
        List<long[]> other = recordRun(property, settings.withSeed(43));
        assertEquals(first.size(), second.size());
        for (int i = 0; i < first.size(); i++) {
            assertArrayEquals(first.get(i), second.get(i), "trial " + i);
        }
        assertFalse(Arrays.equals(first.get(0), other.get(0)));
    }

    @Test
    void swarmModeSwitchesActionsOffInSomeTrials() {
        var property = ToyModels.allocator(false);
        List<TrialResult> trials = new ArrayList<>();
        property.run(settings.withTrials(40), (t, r) -> trials.add(r));
        boolean someTrialWithoutFree = trials.stream()
                .anyMatch(r -> r.steps().size() == 60 && r.steps().stream().noneMatch(s -> s.startsWith("free")));
        assertTrue(someTrialWithoutFree, "with swarm on, some 60-step trial must have 'free' switched off");
        List<TrialResult> plain = new ArrayList<>();
        property.run(settings.withTrials(40).withSwarm(false), (t, r) -> plain.add(r));
        assertTrue(plain.stream().allMatch(r -> r.steps().stream().anyMatch(s -> s.startsWith("free"))),
                "without swarm every 60-step trial frees something");
    }

    private static List<long[]> recordRun(LifecycleProperty<?, ?> property, Settings s) {
        List<long[]> choices = new ArrayList<>();
        Outcome outcome = property.run(s.withTrials(20), (t, r) -> choices.add(r.choices()));
        assertTrue(outcome.passed());
        return choices;
    }
}
