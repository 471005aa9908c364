package dev.deed.archtests;

class X64ConformanceTest extends PagingConformanceKit {
    X64ConformanceTest() {
        super(Arch.named("x86_64"), new X64Reference());
    }
}
