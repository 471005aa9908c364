package dev.deed.arch.i386;

import dev.deed.conformance.MemoryLayoutConformanceKit;

class I386LayoutConformanceTest extends MemoryLayoutConformanceKit {
    I386LayoutConformanceTest() {
        super("i386");
    }
}
