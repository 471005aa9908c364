/**
 * A read-only {@code /proc} laid out and formatted as Linux's, so that Linux's own tools (psutil,
 * procps: {@code ps}, {@code top}, {@code free}, {@code vmstat}, {@code uptime}, {@code pmap},
 * {@code slabtop}) read it unmodified: the machine-wide files ({@link dev.deed.procfs.SystemFiles}),
 * and per process and thread ({@link dev.deed.procfs.ProcessFiles}). Times come from the scheduler's
 * simulated clock, so they are the same run after run.
 *
 * <p>Paths resolve as Linux resolves them, in one pass ({@link dev.deed.procfs.ProcPath}); every
 * refusal is the {@code SyscallException} any syscall reports (ENOENT, ENOTDIR, EISDIR, ENAMETOOLONG,
 * EFAULT). Every lookup is by pid and renders a snapshot: procfs never keeps a process or task alive
 * (B4's third cause). An ArchUnit rule forbids fields of process or task types here.
 */
package dev.deed.procfs;
