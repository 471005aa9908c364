/**
 * {@code deed viz}: a run drawn as one self-contained HTML file.
 *
 * <p>A {@link dev.deed.kernel.viz.Recorder} watches one run through the machine's
 * {@link dev.deed.frame.Probe} (the layers' own reporting points: steps, switches, syscalls, faults,
 * shootdowns, forks, exits, reaps) and takes snapshots of the kernel's state at step boundaries from
 * the kernel's own accessors (the frame map, the buddy lists, the census, each process's page-table
 * nodes and leaves, /proc). It keeps no books of its own, and it only reads: a recorded run is the
 * same run, step for step, as an unrecorded one. Sampling bounds the report: at most
 * {@code MAX_SNAPSHOTS} snapshots (the interval doubles when they are full) and {@code MAX_EVENTS}
 * point events. {@link dev.deed.kernel.viz.VizReport} turns the recording into the page.
 */
package dev.deed.kernel.viz;
