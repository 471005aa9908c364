package dev.deed.arch.i386;

import dev.deed.conformance.PagingConformanceKit;

class I386ConformanceTest extends PagingConformanceKit {
    I386ConformanceTest() {
        super("i386", new I386Reference());
    }
}
