/**
 * Workloads: init programs written as plain Java against the syscall facade
 * ({@link dev.deed.process.Sys}), run by {@code ./deed demo}, {@code ./deed boot} and {@code ./deed proc}.
 */
package dev.deed.kernel.workload;
