package dev.deed.arch.x86_64;

import dev.deed.conformance.MemoryLayoutConformanceKit;

class X64LayoutConformanceTest extends MemoryLayoutConformanceKit {
    X64LayoutConformanceTest() {
        super("x86_64");
    }
}
