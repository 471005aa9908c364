package dev.deed.archtests;

class Sv39ConformanceTest extends PagingConformanceKit {
    Sv39ConformanceTest() {
        super(Arch.named("sv39"), new RiscvReference(3, 8));
    }
}
