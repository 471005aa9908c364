package dev.deed.process;

import java.util.List;

/** A read-only file system a process can read (procfs implements it; the kernel mounts it). */
public interface FileSystem {
    /** Entries of a directory. */
    List<String> list(String path, int callerPid);

    /** A file's contents. */
    String read(String path, int callerPid);
}
