package dev.deed.lifecycle;

import static dev.deed.lifecycle.ChoicesTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void defaultsAreSmallSwarmedAndBounded() {
        Settings d = Settings.defaults();
        assertTrue(d.swarm());
        assertEquals(Duration.ofSeconds(10), d.trialTimeout());
        assertEquals(Settings.DEFAULT_SEED, d.seed());
    }

    @Test
    void systemPropertiesOverrideTheDefaults() {
        Settings s = withProperties(Map.of("deed.trials", "7", "deed.steps", "9", "deed.seed", "0xff",
                "deed.swarm", "false", "deed.timeoutMs", "1234", "deed.shrinkRuns", "5"), Settings::fromSystemProperties);
        assertEquals(new Settings(7, 9, 255, false, Duration.ofMillis(1234), 5, null, null), s);
    }

    @Test
    void badPropertiesAreRejectedNamingKeyAndValue() {
        assertMessage("deed.trials='lots'", assertThrows(IllegalArgumentException.class,
                () -> withProperties(Map.of("deed.trials", "lots"), Settings::fromSystemProperties)));
        assertMessage("deed.steps must be a positive integer, got 0", assertThrows(IllegalArgumentException.class,
                () -> withProperties(Map.of("deed.steps", "0"), Settings::fromSystemProperties)));
        assertMessage("deed.swarm='maybe'", assertThrows(IllegalArgumentException.class,
                () -> withProperties(Map.of("deed.swarm", "maybe"), Settings::fromSystemProperties)));
        assertMessage("seed 'x12'", assertThrows(IllegalArgumentException.class,
                () -> withProperties(Map.of("deed.seed", "x12"), Settings::fromSystemProperties)));
        assertMessage("replay token 'junk'", assertThrows(IllegalArgumentException.class,
                () -> withProperties(Map.of("deed.replay", "junk"), Settings::fromSystemProperties)));
        assertMessage("trialTimeout must be positive", assertThrows(IllegalArgumentException.class,
                () -> Settings.defaults().withTrialTimeout(Duration.ZERO)));
    }

    @Test
    void seedsParseInDecimalAndHex() {
        assertEquals(-1L, Settings.parseSeed("0xffff_ffff_ffff_ffff"));
        assertEquals(12345L, Settings.parseSeed(" 12345 "));
    }

    private static Settings withProperties(Map<String, String> properties, Supplier<Settings> read) {
        Map<String, String> saved = new java.util.HashMap<>();
        for (String key : properties.keySet()) {
            String old = System.getProperty(key);
            if (old != null) {
                saved.put(key, old);
            }
        }
        try {
            properties.forEach(System::setProperty);
            return read.get();
        } finally {
            properties.keySet().forEach(System::clearProperty);
            saved.forEach(System::setProperty);
        }
    }
}
