package dev.deed.task;

/**
 * What a task body may do, on its own task only: yield, park, wait, wake, spawn, release what it
 * owns, exit, and use its kernel stack ({@link #call}). It holds no handle to its own stack: a task
 * cannot free the stack it runs on.
 */
public final class TaskContext {
    private final Scheduler scheduler;
    private final Task self;

    TaskContext(Scheduler scheduler, Task self) {
        this.scheduler = scheduler;
        this.self = self;
    }

    public int tid() {
        return self.tid;
    }

    public String name() {
        return self.name;
    }

    /** The CPU this task runs on now. */
    public int cpu() {
        return self.cpu;
    }

    /** Lets every other runnable task run once before this one continues (round-robin). */
    public void yieldNow() {
        check();
        scheduler.yieldNow(self);
    }

    /** Blocks until unparked (returns at once if an unpark is already pending). */
    public void park() {
        own();
        scheduler.park(self);
    }

    public void unpark(TaskHandle task) {
        check();
        scheduler.unpark(task.task);
    }

    /**
     * Blocks on {@code queue} until woken. No step boundary comes between the caller's check of its
     * condition and the enqueue (no other CPU can run in between), so a wakeup cannot be lost.
     */
    public void waitOn(WaitQueue queue) {
        own();
        scheduler.waitOn(self, queue);
    }

    /** Makes the longest waiter runnable; false if nobody waits. */
    public boolean wakeOne(WaitQueue queue) {
        check();
        return scheduler.wakeOne(queue);
    }

    public int wakeAll(WaitQueue queue) {
        check();
        int n = 0;
        while (scheduler.wakeOne(queue)) {
            n++;
        }
        return n;
    }

    public TaskHandle spawn(String name, TaskBody body) throws dev.deed.frame.OutOfFramesException {
        check();
        return scheduler.spawn(name, body);
    }

    /** A task nobody owns, released after it exits; returns its id. */
    public int spawnDetached(String name, TaskBody body) throws dev.deed.frame.OutOfFramesException {
        check();
        return scheduler.spawnDetached(name, body);
    }

    /** Releases an exited task this task owns (frees its stack). */
    public void release(TaskHandle task) {
        check();
        task.release();
    }

    /** Ends this task now; never returns. */
    public void exit() {
        check();
        throw new Scheduler.Exit();
    }

    /**
     * Runs {@code inner} in a new stack frame of {@code frameBytes}: the frame's pages are written
     * (top down), so a frame that reaches below the stack hits the guard page and the task dies of a
     * {@link KernelStackOverflowException}.
     */
    public void call(int frameBytes, TaskBody inner) throws Exception {
        check();
        long old = self.sp;
        scheduler.pushFrame(self, frameBytes);
        try {
            inner.run(this);
        } finally {
            self.sp = old;
        }
    }

    /**
     * Charges one clock tick of work to this task: in its body ({@code user}: a load or store, say) or
     * in the kernel on its behalf (a syscall). The simulated clock is driven by this and by idle time.
     */
    public void charge(boolean user) {
        own(); // another task charging (or stepping) this one would wait for a turn that never comes
        scheduler.charge(self, user);
    }

    /** The simulated stack pointer. */
    public long stackPointer() {
        return self.sp;
    }

    /** A call of this task's own, at a step boundary. */
    private void check() {
        own();
        scheduler.step(self);
    }

    private void own() {
        if (Thread.currentThread() != self.thread) {
            throw new TaskStateException("the context of " + self + " was used outside its task");
        }
    }
}
