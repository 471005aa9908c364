package dev.deed.arch.x86_64;

import dev.deed.conformance.ContextConformanceKit;
import java.util.List;

/** System V AMD64: rbx, rbp, r12–r15, rsp, rip, 64 bytes. */
class X64ContextConformanceTest extends ContextConformanceKit {
    X64ContextConformanceTest() {
        super("x86_64", List.of("rbx", "rbp", "r12", "r13", "r14", "r15", "rsp", "rip"), 64);
    }
}
