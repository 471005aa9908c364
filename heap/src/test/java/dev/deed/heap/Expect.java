package dev.deed.heap;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** The call throws {@code type} and the message mentions every fragment. */
final class Expect {
    private Expect() {
    }

    static <T extends Throwable> T thrown(Class<T> type, Executable call, String... fragments) {
        T t = assertThrows(type, call);
        for (String f : fragments) {
            assertTrue(String.valueOf(t.getMessage()).contains(f), "message '" + t.getMessage() + "' should mention '" + f + "'");
        }
        return t;
    }
}
