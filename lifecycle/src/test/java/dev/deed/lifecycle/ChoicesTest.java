package dev.deed.lifecycle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChoicesTest {

    @Test
    void seededDrawsStayInBoundsAndAreRecorded() {
        RecordedChoices c = RecordedChoices.seeded(7);
        for (int i = 0; i < 1000; i++) {
            long v = c.draw(10);
            assertTrue(v >= 0 && v < 10, "draw(10) gave " + v);
        }
        assertEquals(1000, c.drawCount());
        assertFalse(c.exhausted());
        long[] recorded = c.recorded();
        RecordedChoices again = RecordedChoices.seeded(7);
        for (long v : recorded) {
            assertEquals(v, again.draw(10));
        }
    }

    @Test
    void replayReturnsTheSequenceClampsToTheBoundAndThenZeros() {
        RecordedChoices c = RecordedChoices.replaying(new long[] {3, 99, 5});
        assertEquals(3, c.draw(10));
        assertEquals(9, c.draw(10), "a value past the bound is clamped to bound - 1");
        assertFalse(c.exhausted());
        assertEquals(5, c.draw(10));
        assertTrue(c.exhausted());
        assertEquals(0, c.draw(10), "past the end every draw is the simplest choice");
        assertArrayEquals(new long[] {3, 9, 5, 0}, c.recorded());
    }

    @Test
    void derivedDrawsShrinkTowardsTheirSimplestValue() {
        RecordedChoices zeros = RecordedChoices.replaying(new long[0]);
        assertEquals(-5, zeros.between(-5, 5));
        assertEquals("a", zeros.pick(List.of("a", "b")));
        assertFalse(zeros.oneIn(3));
        assertEquals("x", zeros.pickWeighted(List.of(new Weighted<>("x", 1), new Weighted<>("y", 5))));
    }

    @Test
    void weightedPicksNeverChooseAZeroWeight() {
        RecordedChoices c = RecordedChoices.seeded(1);
        List<Weighted<String>> options = List.of(new Weighted<>("off", 0), new Weighted<>("on", 3), new Weighted<>("also", 1));
        int on = 0;
        for (int i = 0; i < 400; i++) {
            String pick = c.pickWeighted(options);
            assertFalse(pick.equals("off"));
            on += pick.equals("on") ? 1 : 0;
        }
        assertTrue(on > 200 && on < 400, "weight 3 of 4 should win about 300 of 400 picks, won " + on);
    }

    @Test
    void badArgumentsAreRejectedWithTheValueNamed() {
        RecordedChoices c = RecordedChoices.seeded(1);
        assertMessage("got 0", assertThrows(IllegalArgumentException.class, () -> c.draw(0)));
        assertMessage("got 9 > 2", assertThrows(IllegalArgumentException.class, () -> c.between(9, 2)));
        assertMessage("empty list", assertThrows(IllegalArgumentException.class, () -> c.pick(List.of())));
        assertMessage("weighing 0", assertThrows(IllegalArgumentException.class,
                () -> c.pickWeighted(List.of(new Weighted<>("a", 0)))));
        assertMessage("-1", assertThrows(IllegalArgumentException.class, () -> new Weighted<>("a", -1)));
        assertMessage("choice 1 is -4", assertThrows(IllegalArgumentException.class,
                () -> RecordedChoices.replaying(new long[] {1, -4})));
        assertEquals(0, c.drawCount(), "rejected draws are not recorded");
    }

    @Test
    void shortlexOrderPrefersShorterThenSmaller() {
        assertTrue(Shrinker.shortlexLess(new long[] {9}, new long[] {0, 0}));
        assertTrue(Shrinker.shortlexLess(new long[] {1, 0}, new long[] {1, 1}));
        assertFalse(Shrinker.shortlexLess(new long[] {1, 1}, new long[] {1, 1}));
    }

    static void assertMessage(String expected, Throwable t) {
        assertTrue(t.getMessage().contains(expected), "message '" + t.getMessage() + "' should mention " + expected);
    }
}
