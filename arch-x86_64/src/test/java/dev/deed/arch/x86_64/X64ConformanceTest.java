package dev.deed.arch.x86_64;

import dev.deed.conformance.PagingConformanceKit;

class X64ConformanceTest extends PagingConformanceKit {
    X64ConformanceTest() {
        super("x86_64", new X64Reference());
    }
}
