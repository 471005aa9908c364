package dev.deed.process;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What a path names in a mounted file system, as {@code lstat} tells it.
 *
 * @param kind   a regular file, a directory or a symbolic link
 * @param size   a file's size in bytes (0 for a directory; a link's target length)
 * @param target a link's target, or null
 */
public record FileStat(Kind kind, long size, @Nullable String target) {
    public enum Kind { FILE, DIRECTORY, LINK }

    public static FileStat directory() {
        return new FileStat(Kind.DIRECTORY, 0, null);
    }

    public static FileStat file(long size) {
        return new FileStat(Kind.FILE, size, null);
    }

    public static FileStat link(String target) {
        return new FileStat(Kind.LINK, target.length(), target);
    }
}
