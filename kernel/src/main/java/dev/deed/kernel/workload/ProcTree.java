package dev.deed.kernel.workload;

import dev.deed.process.FileStat;
import dev.deed.process.Sys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a process's view of /proc into a directory, as it is at that moment: every directory and
 * file, and the links ({@code self}, {@code PID/cwd}) as symbolic links — so Linux tools can read it
 * there ({@code psutil.PROCFS_PATH}, or bound over /proc in a private mount namespace).
 */
public final class ProcTree {
    private ProcTree() {
    }

    /** Writes {@code /proc} as {@code sys}'s process sees it into {@code dir} (created if missing); returns the files written. */
    public static int write(Sys sys, Path dir) throws IOException {
        Files.createDirectories(dir);
        return copy(sys, "/proc", dir);
    }

    private static int copy(Sys sys, String path, Path to) throws IOException {
        int files = 0;
        for (String name : sys.list(path)) {
            String child = path + "/" + name;
            Path target = to.resolve(name);
            FileStat stat = sys.stat(child);
            switch (stat.kind()) {
                case DIRECTORY -> {
                    Files.createDirectories(target);
                    files += copy(sys, child, target);
                }
                case LINK -> Files.createSymbolicLink(target, Path.of(String.valueOf(stat.target())));
                case FILE -> {
                    Files.writeString(target, sys.read(child), StandardCharsets.UTF_8);
                    files++;
                }
            }
        }
        return files;
    }
}
