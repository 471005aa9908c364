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
 * <h2>Ownership (B4)</h2>
 * A parent owns its children until it reaps them (orphans pass to init, and the kernel owns init).
 * The pid index holds weak references only, and procfs holds pids: nothing but an owner keeps a
 * process alive. Threads are tasks named by id; each is released as soon as it has exited and the
 * CPU has switched away from it (its kernel stack with it, never the stack it runs on: B2).
 *
 * <h2>Exit and reaping (B1, B2)</h2>
 * When the last thread exits, the process releases its address space and page tables at once and
 * becomes a zombie that holds only its struct, command line, pid and exit status, as a Linux zombie
 * does. {@code waitpid} (or, for init, the kernel) hands the zombie to the one {@code Reaper}, which
 * checks that nothing else holds it and frees the command-line buffer, then the struct (B1's order,
 * checked at compile time through the heap's ownership annotations).
 *
 * <h2>Failure atomicity</h2>
 * Every syscall that allocates either completes or undoes what it took, in the operation that took
 * it (fork: pid, struct, address-space copy, thread, in that order; exec: the new image is built
 * whole before it replaces the old one), and the caller gets {@code ENOMEM} (or {@code EAGAIN} for a
 * pid), never another exception type.
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
