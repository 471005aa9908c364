package dev.deed.arch.x86_64;

import dev.deed.task.spi.FixedContextLayout;
import java.util.List;

/**
 * System V AMD64: the callee-saved rbx, rbp, r12–r15, the stack pointer and the return address
 * (rip), 8 × 8 = 64 bytes, 16-byte aligned, as a switch saves them on the kernel stack.
 */
public final class X64Context extends FixedContextLayout {
    private static final List<String> REGISTERS = List.of("rbx", "rbp", "r12", "r13", "r14", "r15", "rsp", "rip");

    public X64Context() {
        super("x86_64", 8, REGISTERS, 16, "rip", "rsp");
    }

    @Override
    public String cpuinfo(int cpu, int cpus, String mmu) {
        return "processor\t: " + cpu + "\nvendor_id\t: Deed\nmodel name\t: Deed simulated x86_64\nphysical id\t: 0\nsiblings\t: " + cpus
                + "\ncore id\t\t: " + cpu + "\ncpu cores\t: " + cpus + "\napicid\t\t: " + cpu
                + "\nflags\t\t: pse pae pge nx pdpe1gb lm pcid\naddress sizes\t: 46 bits physical, 48 bits virtual\n\n";
    }
}
