package dev.deed.procfs;

/** What stat says about a /proc path: a directory or a file, and a file's size in bytes. */
public record ProcStat(String path, boolean directory, long size) {
}
