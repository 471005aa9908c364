package dev.deed.kernel.workload;

import dev.deed.process.Sys;

/** A {@code ps}-like listing built only from /proc, as a user-space tool would. */
final class Ps {
    private Ps() {
    }

    static String listing(Sys sys) {
        StringBuilder b = new StringBuilder(String.format("%5s %5s %s %3s %7s %7s %s%n", "PID", "PPID", "S", "THR", "VSZ", "RSS", "CMD"));
        for (String entry : sys.list("/proc")) {
            if (!entry.chars().allMatch(Character::isDigit)) {
                continue;
            }
            String status = sys.read("/proc/" + entry + "/status");
            String cmdline = sys.read("/proc/" + entry + "/cmdline").replace('\0', ' ').strip();
            b.append(String.format("%5s %5s %s %3s %7s %7s %s%n", entry, field(status, "PPid"),
                    field(status, "State").substring(0, 1), field(status, "Threads"),
                    field(status, "VmSize").replace(" kB", "").strip(), field(status, "VmRSS").replace(" kB", "").strip(),
                    cmdline.isEmpty() ? "[" + field(status, "Name") + "]" : cmdline));
        }
        return b.toString();
    }

    private static String field(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name + ":")).findFirst()
                .map(l -> l.substring(name.length() + 1).strip()).orElse("?");
    }
}
