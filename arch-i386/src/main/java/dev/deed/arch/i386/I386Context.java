package dev.deed.arch.i386;

import dev.deed.task.spi.ContextLayout;
import java.util.List;

/**
 * i386 (cdecl): callee-saved edi, esi, ebx, ebp and the return eip, as xv6's {@code struct context}:
 * 5 × 4 = 20 bytes, pushed on the stack; esp itself is kept in the task. Deed aligns frames to 16
 * bytes (the newer i386 psABI), which also satisfies Linux's 4.
 */
public final class I386Context implements ContextLayout {
    private static final List<String> REGISTERS = List.of("edi", "esi", "ebx", "ebp", "eip");

    @Override
    public String cpuinfo(int cpu, int cpus, String mmu) {
        return "processor\t: " + cpu + "\nvendor_id\t: Deed\nmodel name\t: Deed simulated i386\nphysical id\t: 0\nsiblings\t: " + cpus
                + "\ncore id\t\t: " + cpu + "\ncpu cores\t: " + cpus + "\napicid\t\t: " + cpu
                + "\nflags\t\t: pse\naddress sizes\t: 32 bits physical, 32 bits virtual\n\n";
    }

    @Override
    public String arch() {
        return "i386";
    }

    @Override
    public int wordBytes() {
        return 4;
    }

    @Override
    public List<String> registers() {
        return REGISTERS;
    }

    @Override
    public int stackAlignment() {
        return 16;
    }

    @Override
    public int returnAddressIndex() {
        return 4;
    }

    @Override
    public int stackPointerIndex() {
        return -1;
    }
}
