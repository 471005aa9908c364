package dev.deed.bench;

import dev.deed.frame.FrameAllocator;
import dev.deed.frame.Machine;
import dev.deed.frame.Usage;
import dev.deed.paging.Access;
import dev.deed.paging.Cpus;
import dev.deed.paging.PageProperty;
import dev.deed.paging.PageTable;
import dev.deed.paging.PagingFormats;
import dev.deed.paging.Privilege;
import dev.deed.paging.UserSpace;
import dev.deed.paging.VirtAddr;
import dev.deed.paging.spi.PagingFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One 4 KiB unmap with its TLB shootdown on 1, 2 and 4 CPUs: the address space is active on every
 * CPU (each has the page cached) and every other CPU is busy, so the flush posts a request to each,
 * each applies it at its next step boundary, and the last acknowledgement releases the frame.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ShootdownBench {
    static final int BATCH = 256;
    static final long BASE = 0x40_0000L;

    @State(Scope.Thread)
    public static class Space {
        @Param({"sv39", "i386"})
        public String format;

        @Param({"1", "2", "4"})
        public int cpus;

        PagingFormat f;
        FrameAllocator frames;
        Cpus machine;
        PageTable<UserSpace> user;

        @Setup(Level.Trial)
        public void boot() {
            f = PagingFormats.named(format);
            frames = FrameAllocator.boot(Machine.defaultFor(f.arch(), 256L << 20).withCpus(cpus));
            machine = Cpus.of(frames, f);
            user = PageTable.user(f, frames, f.hasAsids() ? 1 : 0);
            user.mapFresh(VirtAddr.of(BASE + BATCH * 4096L), 4096, PageProperty.userData(), Usage.USER, false); // keeps the leaf node
            for (int cpu = 1; cpu < cpus; cpu++) {
                machine.setIdle(cpu, false);
            }
        }

        /** The batch mapped again, and cached in every CPU's TLB. */
        @Setup(Level.Invocation)
        public void mapAndCache() {
            user.mapFresh(VirtAddr.of(BASE), BATCH * 4096L, PageProperty.userData(), Usage.USER, false);
            for (int cpu = 0; cpu < cpus; cpu++) {
                for (int i = 0; i < BATCH; i++) {
                    machine.mmu(cpu).translate(user.rootRegister(), VirtAddr.of(BASE + i * 4096L), Access.READ, Privilege.USER);
                }
            }
        }
    }

    /** Per page: unmap, flush here, a request to every other CPU, each acknowledging at its boundary, the release. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long unmapShootdown(Space s) {
        for (int i = 0; i < BATCH; i++) {
            s.user.unmap(VirtAddr.of(BASE + i * 4096L), 4096).flush();
            for (int cpu = 1; cpu < s.cpus; cpu++) {
                s.machine.boundary(cpu);
            }
        }
        return s.machine.acknowledged();
    }
}
