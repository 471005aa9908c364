package dev.deed.procfs;

import dev.deed.process.Errno;
import dev.deed.process.SyscallException;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A path as Linux resolves it, in one pass over its characters: empty components and {@code .} are
 * skipped, {@code ..} goes up, a path longer than {@link #PATH_MAX} or with a component longer than
 * {@link #NAME_MAX} is ENAMETOOLONG, a null path is EFAULT. Only {@code /proc} is mounted here: a
 * path that does not resolve under it is ENOENT.
 */
final class ProcPath {
    /** Linux's limits: bytes in a path (with its NUL) and in one component. */
    static final int PATH_MAX = 4096;
    static final int NAME_MAX = 255;

    private ProcPath() {
    }

    /** The components below {@code /proc}, {@code ..} and {@code .} resolved; {@code /proc} itself is empty. */
    static List<String> below(@Nullable String path) {
        if (path == null) {
            throw new SyscallException(Errno.EFAULT, "the path is a null pointer");
        }
        if (path.length() >= PATH_MAX) {
            throw new SyscallException(Errno.ENAMETOOLONG, "a path of " + path.length() + " characters: the limit is "
                    + (PATH_MAX - 1));
        }
        if (!path.startsWith("/")) {
            throw new SyscallException(Errno.ENOENT, "'" + abbreviated(path) + "' is relative; procfs is mounted at /proc");
        }
        List<String> parts = new ArrayList<>();
        int start = 0;
        while (start < path.length()) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            if (end - start > NAME_MAX) {
                throw new SyscallException(Errno.ENAMETOOLONG, "a path component of " + (end - start)
                        + " characters in '" + abbreviated(path) + "': the limit is " + NAME_MAX);
            }
            String part = path.substring(start, end);
            if (part.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
            } else if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
            start = end + 1;
        }
        if (parts.isEmpty() || !parts.get(0).equals("proc")) {
            throw new SyscallException(Errno.ENOENT, "no such file or directory: " + abbreviated(path)
                    + " (only procfs is mounted, at /proc)");
        }
        return parts.subList(1, parts.size());
    }

    /** The path for a message: whole if short, else its start, its length and its end. */
    static String abbreviated(String path) {
        return path.length() <= 120 ? path : path.substring(0, 60) + "…(" + path.length() + " characters)…"
                + path.substring(path.length() - 40);
    }
}
