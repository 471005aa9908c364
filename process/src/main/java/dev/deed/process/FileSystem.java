package dev.deed.process;

import java.util.List;

/**
 * A read-only file system a process can read (procfs implements it; the kernel mounts it). Every
 * refusal is a {@link SyscallException} with Linux's errno: ENOENT, ENOTDIR, EISDIR, ENAMETOOLONG,
 * EFAULT for a null path.
 */
public interface FileSystem {
    /** Entries of a directory, in a stable order. */
    List<String> list(String path, int callerPid);

    /** A file's contents (a link is followed). */
    String read(String path, int callerPid);

    /** What {@code path} names, without following a final link (lstat). */
    FileStat stat(String path, int callerPid);
}
