package dev.deed.lifecycle;

import static dev.deed.lifecycle.ChoicesTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ReplayTokenTest {

    @Test
    void tokensRoundTripEveryValue() {
        long[] values = {0, 1, 127, 128, 300, Integer.MAX_VALUE, Long.MAX_VALUE};
        for (boolean swarm : new boolean[] {true, false}) {
            ReplayToken token = new ReplayToken("frame.alloc-1", swarm, values);
            ReplayToken parsed = ReplayToken.parse(token.encode());
            assertEquals(token, parsed);
            assertArrayEquals(values, parsed.choices());
            assertEquals(swarm, parsed.swarm());
        }
        assertArrayEquals(new long[0], ReplayToken.parse("p:s").choices());
    }

    @Test
    void malformedTokensAreRejectedWithTheTokenNamed() {
        assertMessage("'nocolon'", assertThrows(IllegalArgumentException.class, () -> ReplayToken.parse("nocolon")));
        assertMessage("mode 'x'", assertThrows(IllegalArgumentException.class, () -> ReplayToken.parse("p:xAA")));
        assertMessage("not base64url", assertThrows(IllegalArgumentException.class, () -> ReplayToken.parse("p:s!!")));
        assertMessage("middle of a choice", assertThrows(IllegalArgumentException.class, () -> ReplayToken.parse("p:sgA")));
        assertMessage("longer than 64 bits", assertThrows(IllegalArgumentException.class,
                () -> ReplayToken.parse("p:s" + java.util.Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1}))));
        assertMessage("may use only", assertThrows(IllegalArgumentException.class,
                () -> new ReplayToken("has space", true, new long[0])));
    }
}
