package dev.deed.frame;

import static dev.deed.frame.Expect.thrown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AddressAndMachineTest {

    @Test
    void physAddrAlignsAndPrintsInHex() {
        PhysAddr a = PhysAddr.of(0x8000_1234L);
        assertEquals("0x80001234", a.toString());
        assertEquals(PhysAddr.of(0x8000_1000L), a.alignDown(4096));
        assertEquals(PhysAddr.of(0x8000_2000L), a.alignUp(4096));
        assertEquals(0x80001L, a.pfn());
        assertFalse(a.isPageAligned());
        assertTrue(PhysAddr.of(0x20_0000).isAligned(2 << 20));
    }

    @Test
    void physAddrRejectsBadValuesNamingThem() {
        thrown(InvalidAddressException.class, () -> PhysAddr.of(-4096), "-0x1000", "out of range");
        thrown(InvalidAddressException.class, () -> PhysAddr.of(1L << 56), "0x100000000000000");
        thrown(IllegalArgumentException.class, () -> PhysAddr.of(0).alignUp(3000), "alignment 3000");
        thrown(InvalidAddressException.class, () -> PhysAddr.of(0x1234).requirePageAligned("map start"), "map start 0x1234");
    }

    @Test
    void machinesFollowTheirLayouts() {
        Machine rv = TestMachines.riscv64(256L << 20);
        assertEquals(0x8000_0000L, rv.ramBase().value());
        assertEquals(65536, rv.frames());
        assertEquals(List.of("firmware", "kernel image"), rv.reserved().stream().map(MemRegion::name).toList());
        Machine pc = TestMachines.i386(64L << 20);
        assertEquals(0x0010_0000L, pc.ramBase().value());
        assertEquals(List.of("kernel image"), pc.reserved().stream().map(MemRegion::name).toList());
    }

    @Test
    void badMachinesAreRejected() {
        thrown(IllegalArgumentException.class, () -> TestMachines.riscv64(1000), "RAM size 1000");
        thrown(IllegalArgumentException.class, () -> TestMachines.riscv64(256L << 30), "at most 128 GiB");
        thrown(IllegalArgumentException.class, () -> TestMachines.i386(4L << 30), "i386 RAM", "above 0x100000000");
        thrown(IllegalArgumentException.class, () -> Machine.defaultFor("vax", 1 << 20), "'vax'", "no arch module");
        thrown(InvalidAddressException.class, () -> new Machine("t", PhysAddr.of(0), 1 << 20,
                List.of(new MemRegion("rom", PhysAddr.of(0x10_0000), 4096)), 1), "rom", "not inside RAM");
        thrown(IllegalArgumentException.class, () -> new Machine("t", PhysAddr.of(0), 1 << 20,
                List.of(new MemRegion("a", PhysAddr.of(0), 8192), new MemRegion("b", PhysAddr.of(4096), 4096)), 1), "overlap");
        thrown(IllegalArgumentException.class, () -> new MemRegion("odd", PhysAddr.of(0), 100), "odd", "size 100");
    }
}
