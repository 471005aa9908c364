package dev.deed.kernel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code --json} on demo, boot, soak and bugs, read back with a real JSON parser. */
class JsonOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String... args) throws Exception {
        CliRun run = CliRun.of(args);
        assertEquals("", run.err().lines().filter(l -> !l.startsWith("  [")).reduce("", String::concat), "nothing but progress on stderr");
        return JSON.readTree(run.out());
    }

    @Test
    void demoReportsTheRunTheTranscriptAndTheResourcesAsData() throws Exception {
        JsonNode demo = json("demo", "--json", "--arch", "i386");
        assertEquals("demo", demo.get("workload").asText());
        assertEquals("i386", demo.get("arch").asText());
        assertTrue(demo.get("clean").asBoolean() && demo.get("everythingReturned").asBoolean());
        assertEquals(demo.get("baseline"), demo.get("after"), "every count came back");
        assertTrue(demo.get("transcript").size() > 20, "the story is kept as lines");
        assertTrue(demo.get("contextSwitches").asLong() > 0);
        assertEquals(0, demo.get("after").get("pids").asInt());
        assertTrue(demo.get("elapsedMillis").asLong() >= 0);
    }

    @Test
    void bootWithAFaultSaysWhetherItFired() throws Exception {
        JsonNode boot = json("boot", "--json", "--workload", "demo", "--fail-nth", "30", "--fail-site", "frame");
        assertTrue(boot.get("faultInjection").get("fired").asBoolean());
        assertEquals("frame", boot.get("faultInjection").get("site").asText());
        assertTrue(boot.get("initCrash").asText().contains("ENOMEM"), boot.toString());
    }

    @Test
    void soakReportsTrialsStepsActionsAndRefusals() throws Exception {
        JsonNode soak = json("soak", "--json", "--steps", "120", "--faults", "0.5", "--seed", "3");
        assertEquals("flagship-riscv64-faults0.5", soak.get("property").asText());
        assertEquals("run", soak.get("mode").asText());
        assertEquals(120, soak.get("steps").asInt());
        assertTrue(soak.get("passed").asBoolean());
        assertTrue(soak.get("actions").get("fork").asInt() >= 0 && soak.get("refusedCalls").asLong() >= 0);
        assertFalse(soak.has("failure"));
    }

    @Test
    void bugsListsEveryLayerOfEveryBug() throws Exception {
        JsonNode bugs = json("bugs", "--json");
        assertEquals(5, bugs.get("bugs").size());
        assertEquals("B1", bugs.get("bugs").get(0).get("id").asText());
        assertTrue(bugs.get("allCaught").asBoolean());
        for (JsonNode bug : bugs.get("bugs")) {
            for (JsonNode layer : bug.get("layers")) {
                assertTrue(layer.has("layer") && layer.has("caught"), layer.toString());
            }
        }
    }

    @Test
    void withALocaleThatCannotShowThemBoxDrawingAndArrowsBecomeAscii() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        PrintWriter ascii = new PrintWriter(AsciiFallback.wrap(new java.io.OutputStreamWriter(bytes, StandardCharsets.US_ASCII),
                StandardCharsets.US_ASCII), true);
        int exit = DeedCli.run(new String[] {"demo"}, ascii, new PrintWriter(new StringWriter(), true));
        String text = bytes.toString(StandardCharsets.US_ASCII);
        assertEquals(0, exit);
        long questionMarks = CliRun.of("demo").out().chars().filter(c -> c == '?').count(); // ps prints '?' itself
        assertEquals(questionMarks, text.chars().filter(c -> c == '?').count(), "no character fell back to '?':\n" + text);
        assertTrue(text.contains("-- /proc/meminfo at boot") && text.contains("fork() -> hello = 2"), text);
        StringWriter utf8 = new StringWriter();
        assertTrue(AsciiFallback.wrap(utf8, StandardCharsets.UTF_8) == utf8, "a UTF-8 terminal gets the characters as they are");
    }
}
