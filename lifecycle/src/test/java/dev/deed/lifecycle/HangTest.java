package dev.deed.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class HangTest {

    /** A lock that is never released, as in Asterinas' allocator after a foreign free (B3). */
    static final class Deadlocking {
        private final CountDownLatch never = new CountDownLatch(1);
        int taken;

        void take() throws InterruptedException {
            if (++taken == 3) {
                never.await();
            }
        }
    }

    @Test
    void aSystemThatHangsIsReportedWithinTheBoundNotHung() {
        var property = LifecycleProperty.<int[], Deadlocking>named("hangs")
                .model(() -> new int[1])
                .system(m -> new Deadlocking())
                .action("take", (c, m) -> Step.of("take", (s, model) -> s.take()))
                .build();
        Settings settings = Settings.defaults().withTrials(5).withTrialTimeout(Duration.ofMillis(200));
        Outcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> property.run(settings));
        Counterexample c = outcome.counterexample();
        assertNotNull(c);
        assertEquals("timeout", c.failure().signature());
        assertEquals(3, c.steps().size());
        assertTrue(c.failure().message().contains("hung in step 3 (take)"), c.failure().message());
    }
}
