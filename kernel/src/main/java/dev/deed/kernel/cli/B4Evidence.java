package dev.deed.kernel.cli;

import dev.deed.frame.OutOfFramesException;
import dev.deed.frame.PlantedBug;
import dev.deed.kernel.boot.KernelConfig;
import dev.deed.kernel.soak.CaughtBy;
import dev.deed.kernel.workload.Transcript;
import dev.deed.kernel.workload.WorkloadRun;
import dev.deed.kernel.workload.Workloads;
import java.util.Set;

/** B4 for {@code deed bugs}: the /proc strong cache planted and caught; a correct kernel gives everything back. */
final class B4Evidence {
    private B4Evidence() {
    }

    static Evidence run() throws OutOfFramesException {
        Evidence e = new Evidence("B4", "Asterinas #1491: every task leaked (a self-reference on park, locals across the last"
                + " switch, a procfs cache holding processes strongly)", "current-task slots hold ids; procfs and the pid index"
                + " hold pids and weak references (an ArchUnit rule forbids more); the reaper refuses a process anything else holds");
        WorkloadRun planted = WorkloadRun.run(KernelConfig.of(KernelConfig.DEFAULT_ARCH, 64L << 20).withPlanted(Set.of(PlantedBug.B4)),
                Workloads.named("procfs-walk"), 4, Transcript.quiet(), sys -> { });
        String caught = planted.errors().stream().map(CaughtBy::layer).filter(l -> l != null && l.contains("reaper"))
                .findFirst().orElse(null);
        e.layer("run time (B4 planted: /proc caches every process it shows)", caught == null ? null
                : "caught by " + caught + ": " + planted.errors().get(0).getMessage());
        WorkloadRun run = WorkloadRun.run(KernelConfig.of(KernelConfig.DEFAULT_ARCH, 128L << 20), Workloads.named("procfs-walk"), 8,
                Transcript.quiet(), sys -> { });
        WorkloadRun bomb = WorkloadRun.run(KernelConfig.of(KernelConfig.DEFAULT_ARCH, 128L << 20), Workloads.named("forkbomb"), 300,
                Transcript.quiet(), sys -> { });
        e.layer("regression (resource counts)", run.clean() && bomb.clean()
                ? "a /proc walk over 8 processes and a 300-process fork bomb: every task, stack, pid and frame came back" : null);
        return e;
    }
}
