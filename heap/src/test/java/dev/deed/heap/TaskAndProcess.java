package dev.deed.heap;

/**
 * A {@code task_and_process}-like struct as in Tilck (B1): register and file tables whose
 * size scales with the pointer width, and the {@code debug_cmdline} pointer. On riscv64 it is larger
 * than the small heaps' 2 KiB limit and lands in a main heap; on i386 it fits a small heap.
 */
final class TaskAndProcess {
    private TaskAndProcess() {
    }

    static StructLayout layout(int pointerBytes) {
        return StructLayout.builder("task_and_process", pointerBytes)
                .u32("tid")
                .u32("pid")
                .u32("state")
                .pointer("parent")
                .pointer("kernel_stack")
                .pointers("regs", 32)
                .pointers("handles", 160)
                .pointers("sa_handlers", 64)
                .bytes("name", 32)
                .pointer("debug_cmdline")
                .build();
    }
}
