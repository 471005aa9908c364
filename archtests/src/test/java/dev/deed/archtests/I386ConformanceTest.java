package dev.deed.archtests;

class I386ConformanceTest extends PagingConformanceKit {
    I386ConformanceTest() {
        super(Arch.named("i386"), new I386Reference());
    }
}
