package dev.deed.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlantedBugTest {
    /** Fixed settings: these tests must find their planted bug whatever replay is asked for. */
    private final Settings settings = Settings.defaults().withTrials(200).withMaxSteps(60);

    @Test
    void doubleIssuingAllocatorIsShrunkToTheKnownMinimalSequence() {
        Counterexample c = counterexampleOf(ToyModels.allocator(true).run(settings));
        assertEquals(List.of("alloc", "free 0", "alloc", "alloc"), c.steps());
        assertEquals("invariant 'ids unique'", c.failure().signature());
        assertTrue(c.originalSteps() >= c.steps().size());
    }

    @Test
    void leakingCounterIsShrunkToTheKnownMinimalSequence() {
        Counterexample c = counterexampleOf(ToyModels.counter().run(settings));
        assertEquals(List.of("open", "open", "close 0"), c.steps());
        assertEquals("invariant 'open count matches'", c.failure().signature());
    }

    @Test
    void aCorrectSystemPasses() {
        Outcome outcome = ToyModels.allocator(false).run(settings);
        assertTrue(outcome.passed());
        assertEquals(200, outcome.trials());
        long counted = outcome.actionCounts().values().stream().mapToLong(Long::longValue).sum();
        assertEquals(outcome.steps(), counted);
        assertTrue(outcome.actionCounts().get("free") > 0, "free must have run at least once");
    }

    /** From the system properties, so {@code ./deed test lifecycle PlantedBugTest --replay <token>} replays a case here (README). */
    @Test
    void checkThrowsThePropertyFailureWithTheReport() {
        Settings fromCommandLine = Settings.fromSystemProperties().withTrials(200).withMaxSteps(60);
        PropertyFailure failure = assertThrows(PropertyFailure.class, () -> ToyModels.counter().check(fromCommandLine));
        String report = failure.getMessage();
        assertTrue(report.contains("Lifecycle property 'toy-counter' failed"), report);
        assertTrue(report.contains("  1. open\n  2. open\n  3. close 0\n"), report);
        assertTrue(report.contains("Replay:  ./deed test lifecycle PlantedBugTest --replay toy-counter:s"),
                "the replay line names the module and test class and is the exact command: " + report);
    }

    /** A property checked by an inherited method (a conformance kit's) names the concrete test class it is checked for. */
    @Test
    void checkForNamesTheConcreteTestClassInTheReplayLine() {
        PropertyFailure failure = assertThrows(PropertyFailure.class, () -> ToyModels.counter().checkFor(ReplayTokenTest.class));
        assertTrue(failure.getMessage().contains("Replay:  ./deed test lifecycle ReplayTokenTest --replay toy-counter:s"),
                failure.getMessage());
    }

    @Test
    void anExceptionFromTheSystemIsAFailureNamedByItsType() {
        var property = LifecycleProperty.<ToyModels.Live, ToyModels.LeakyCounter>named("throws")
                .model(ToyModels.Live::new)
                .system(m -> new ToyModels.LeakyCounter())
                .action("open", (c, m) -> Step.of("open", (s, model) -> model.ids.add(s.open())))
                .action("explode", m -> m.ids.size() >= 3, (c, m) -> Step.of("explode", (s, model) -> {
                    throw new IllegalStateException("exploded with " + model.ids.size() + " open");
                }))
                .build();
        Counterexample c = counterexampleOf(property.run(settings));
        assertEquals(IllegalStateException.class.getName(), c.failure().signature());
        assertEquals(List.of("open", "open", "open", "explode"), c.steps());
        assertTrue(c.failure().message().contains("exploded with 3 open"), c.failure().message());
    }

    private static Counterexample counterexampleOf(Outcome outcome) {
        Counterexample c = outcome.counterexample();
        assertNotNull(c, "the planted bug must be found");
        return c;
    }
}
