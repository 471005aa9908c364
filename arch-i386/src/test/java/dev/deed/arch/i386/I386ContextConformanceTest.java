package dev.deed.arch.i386;

import dev.deed.conformance.ContextConformanceKit;
import java.util.List;

/** i386 cdecl, as xv6's struct context: edi, esi, ebx, ebp, eip, 20 bytes. */
class I386ContextConformanceTest extends ContextConformanceKit {
    I386ContextConformanceTest() {
        super("i386", List.of("edi", "esi", "ebx", "ebp", "eip"), 20);
    }
}
