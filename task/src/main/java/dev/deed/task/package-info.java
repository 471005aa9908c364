/**
 * Tasks: ordinary Java code ({@link dev.deed.task.TaskBody}) running on simulated CPUs, one at a time.
 *
 * <h2>Execution</h2>
 * Each task body runs on its own virtual thread; exactly one holds a CPU, and a switch hands the
 * baton (a semaphore) to the next. A blocked or finished task pins no platform thread. The run
 * queue is FIFO per CPU, so the same program and seed give the same interleaving, switch for switch
 * ({@link dev.deed.task.RunResult#fingerprint()}). When nothing is runnable the CPU runs its idle task:
 * the thread that called {@link dev.deed.task.Scheduler#run()}.
 *
 * <h2>Ownership (B2, B4)</h2>
 * <ul>
 *   <li>The per-CPU current-task slot holds a task id, not a reference. The run queue, wait queues,
 *       the task table and {@link dev.deed.task.TaskHandle}s are what keep a task alive.</li>
 *   <li>A task's body never gets a handle to its own kernel stack. {@link dev.deed.task.KernelStack#close()}
 *       and {@link dev.deed.task.TaskHandle#release()} are refused while that stack is current on a
 *       CPU, naming the task, the stack's range and the CPU. No other path can unmap, re-protect or
 *       destroy a live stack's pages either: the stacks install a {@link dev.deed.paging.RangeGuard}
 *       on the kernel table that refuses, naming the task and the CPU.</li>
 *   <li>An exiting task switches away first. A detached task is released afterwards by whoever runs
 *       next on that CPU (Asterinas' "previous task", Linux's {@code finish_task_switch}); it is named
 *       by its id, never by a reference. An owned task stays a zombie, stack and all, until its handle
 *       is released (the reaper, as rCore's waitpid).</li>
 *   <li>Creating a task is all or nothing: its kernel stack is allocated first (its frames and table
 *       nodes at once, see {@code PageTable.mapFresh}), and a stack that cannot be had leaves no task,
 *       no mapping and no slot taken.</li>
 * </ul>
 *
 * <h2>Stacks and context switches</h2>
 * Kernel stacks are frames tagged {@code KERNEL_STACK}, mapped in the kernel address space with an
 * unmapped guard page below each. Slots are recycled (rCore PR #92 leaked them). A switch writes the
 * outgoing task's saved registers (the arch's {@link dev.deed.task.spi.ContextLayout}) onto its stack and
 * reads the incoming task's back through the MMU, so switching onto a freed stack faults or reads the
 * poison that released stacks are filled with. A write below a stack hits its guard page and is
 * reported as a kernel stack overflow of that task.
 *
 * <h2>Failures never hang</h2>
 * A context that cannot be saved or restored, or a stack that cannot be freed, is a
 * {@link dev.deed.task.TaskPanic} of that task, reported in {@link dev.deed.task.RunResult#panics()}:
 * a task whose save fails on a switch unwinds to its exit still holding the CPU; one whose save fails
 * on exit, or whose context cannot be restored, never runs again and the CPU goes to the next task.
 */
package dev.deed.task;
