package dev.deed.arch.i386;

import dev.deed.task.spi.FixedContextLayout;
import java.util.List;

/**
 * i386 (cdecl): callee-saved edi, esi, ebx, ebp and the return eip, as xv6's {@code struct context}:
 * 5 × 4 = 20 bytes, pushed on the stack; esp itself is kept in the task. Deed aligns frames to 16
 * bytes (the newer i386 psABI), which also satisfies Linux's 4.
 */
public final class I386Context extends FixedContextLayout {
    private static final List<String> REGISTERS = List.of("edi", "esi", "ebx", "ebp", "eip");

    public I386Context() {
        super("i386", 4, REGISTERS, 16, "eip", null);
    }

    @Override
    public String cpuinfo(int cpu, int cpus, String mmu) {
        return "processor\t: " + cpu + "\nvendor_id\t: Deed\nmodel name\t: Deed simulated i386\nphysical id\t: 0\nsiblings\t: " + cpus
                + "\ncore id\t\t: " + cpu + "\ncpu cores\t: " + cpus + "\napicid\t\t: " + cpu
                + "\nflags\t\t: pse\naddress sizes\t: 32 bits physical, 32 bits virtual\n\n";
    }
}
