/**
 * Processes: a pid, a parent (a pid: a weak back-reference), owned children, threads (tasks; the
 * first is the main thread), an address space (a user page table plus VM areas), an exit status,
 * and a kernel-heap struct that owns its debug command-line buffer, as Tilck's {@code task_and_process}.
 *
 * <h2>Syscalls</h2>
 * Task code calls {@link dev.deed.process.Sys}: fork, exec, exit, waitpid, spawnThread, exitThread,
 * mmap, munmap, mprotect, load/store, getpid, getppid, kill, and file reads. Errors are
 * {@link dev.deed.process.SyscallException}s carrying a Linux errno; a refused call changes nothing.
 *
 * <h2>Reaping (B1, B2, B4)</h2>
 * {@code waitpid} reaps a zombie child in this order: its threads (the main thread's kernel stack is
 * freed here, by the reaper, never on the exit path that ran on it), its owned buffers (the debug
 * command line), its address space, and the process struct last. The destructor's order is checked
 * at compile time through the heap's ownership annotations (an {@code @EnsuresCalledMethods}
 * destructor over {@code @Owning} blocks, and {@code freeAfter}). The reaper checks that it holds the
 * last reference, as rCore does. The pid table maps pids to processes; everything else (procfs,
 * parents) keeps pids.
 *
 * <h2>Deed's choices</h2>
 * <ul>
 *   <li>{@code fork} copies the address space eagerly. The child starts in a body given to fork:
 *       Java cannot resume one thread twice.</li>
 *   <li>{@code exec} is refused (EAGAIN) while other threads are alive.</li>
 *   <li>{@code munmap} of a range holding no mapping is EINVAL (Linux returns 0).</li>
 *   <li>{@code kill} terminates: the target's threads end at their next syscall, blocked ones are
 *       woken to do so.</li>
 * </ul>
 */
package dev.deed.process;
