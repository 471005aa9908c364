package dev.deed.archtests;

class Sv48ConformanceTest extends PagingConformanceKit {
    Sv48ConformanceTest() {
        super(Arch.named("sv48"), new RiscvReference(4, 9));
    }
}
