package dev.deed.kernel.image;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Loads an mmu-image into a real QEMU and asks its monitor for its view of the page tables. QEMU
 * starts stopped at reset with {@code memory.bin} loaded at the RAM base; gdb, attached to QEMU's
 * gdb stub, sets the root register (satp; CR3 with CR4.PSE and CR0.PG on i386), which the monitor
 * cannot, then sends the monitor commands. Every process is bounded by a timeout and killed after.
 */
public final class Qemu {
    public static final String GDB = "gdb-multiarch";
    private static final long TIMEOUT_SECONDS = 60;

    private Qemu() {
    }

    /** The paging formats whose images this can load into QEMU and read back. */
    public static final List<String> FORMATS = List.of("sv39", "sv48", "i386", "x86_64");

    /** The QEMU system emulator for a paging format. */
    public static String emulator(String format) {
        return switch (format) {
            case "i386" -> "qemu-system-i386";
            case "x86_64" -> "qemu-system-x86_64";
            default -> "qemu-system-riscv64";
        };
    }

    /** Whether {@code format} is one of the PC's (its monitor lists pages with {@code info tlb}). */
    static boolean pc(String format) {
        return format.equals("i386") || format.equals("x86_64");
    }

    /**
     * gdb cannot assign x86-64's control registers (they are flag types), so they are written with
     * the remote protocol's P packet, by QEMU's register numbers, little-endian: EFER (LME|NXE), CR4
     * (PAE), CR3, then CR0 (PG|ET|PE), whose write makes QEMU enter long mode (EFER.LMA).
     */
    private static final int X64_CR0 = 0x1b;
    private static final int X64_CR3 = 0x1d;
    private static final int X64_CR4 = 0x1e;
    private static final int X64_EFER = 0x20;

    private static List<String> longMode(long root) {
        return List.of("-ex", packet(X64_EFER, 0x900), "-ex", packet(X64_CR4, 0x20), "-ex", packet(X64_CR3, root),
                "-ex", packet(X64_CR0, 0x8000_0011L), "-ex", "maintenance flush register-cache");
    }

    private static String packet(int register, long value) {
        return String.format("maint packet P%x=%016x", register, Long.reverseBytes(value));
    }

    /** The monitor commands whose answers Deed reads: {@code info mem}, and {@code info tlb} on i386 (it has no physical addresses in {@code info mem}). */
    public static List<String> commands(String format) {
        return pc(format) ? List.of("info mem", "info tlb") : List.of("info mem");
    }

    /** The programs this needs that are not on PATH (empty when all are there). */
    public static List<String> missingTools(String format) {
        return List.of(emulator(format), GDB).stream().filter(p -> !onPath(p)).toList();
    }

    /** What QEMU's monitor answers to {@link #commands} for the image in {@code dir}. */
    public static String ask(Path dir, String format) throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process vm = new ProcessBuilder(qemuCommand(dir, format, port)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile()).start();
        try {
            waitForPort(port, vm);
            Process client = new ProcessBuilder(gdbCommand(dir, format, port)).redirectErrorStream(true).start();
            byte[] out = client.getInputStream().readAllBytes();
            if (!client.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                client.destroyForcibly();
                throw new IOException("gdb did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            vm.destroyForcibly();
            vm.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** QEMU, stopped at reset, the image loaded at the RAM base, its gdb stub on {@code port}. */
    static List<String> qemuCommand(Path dir, String format, int port) throws IOException {
        List<String> args = new ArrayList<>(List.of(emulator(format)));
        if (!pc(format)) {
            args.addAll(List.of("-machine", "virt", "-bios", "none"));
        }
        args.addAll(List.of("-m", "256M", "-display", "none", "-S", "-monitor", "none", "-serial", "none",
                "-parallel", "none", "-gdb", "tcp:127.0.0.1:" + port,
                "-device", "loader,file=" + dir.resolve("memory.bin") + ",addr=" + read(dir, "ram-base")));
        return args;
    }

    /** gdb: attach, set the root register, ask the monitor, kill the VM. */
    static List<String> gdbCommand(Path dir, String format, int port) throws IOException {
        boolean riscv = !pc(format);
        List<String> gdb = new ArrayList<>(List.of(GDB, "-batch", "-nx",
                "-ex", "set architecture " + gdbArchitecture(format),
                "-ex", "target remote 127.0.0.1:" + port));
        String root = read(dir, "root");
        if (riscv) {
            gdb.addAll(List.of("-ex", "set $satp = " + root));
        } else if (format.equals("x86_64")) {
            gdb.addAll(longMode(Long.decode(root)));
        } else {
            gdb.addAll(List.of("-ex", "set $cr3 = " + root, "-ex", "set $cr4 = 0x10", "-ex", "set $cr0 = 0x80000011"));
        }
        for (String command : commands(format)) {
            gdb.addAll(List.of("-ex", "monitor " + command));
        }
        gdb.addAll(List.of("-ex", "kill"));
        return gdb;
    }

    private static String gdbArchitecture(String format) {
        return switch (format) {
            case "i386" -> "i386";
            case "x86_64" -> "i386:x86-64";
            default -> "riscv:rv64";
        };
    }

    /** A script that does what {@link #ask} does, for a person to run by hand from the image folder. */
    static String script(String format) {
        boolean riscv = !pc(format);
        String setRoot = switch (format) {
            case "i386" -> "-ex \"set \\$cr3 = $(cat root)\" -ex 'set $cr4 = 0x10' -ex 'set $cr0 = 0x80000011'";
            case "x86_64" -> "-ex \"maint packet P20=$(le 0x900)\" -ex \"maint packet P1e=$(le 0x20)\""
                    + " -ex \"maint packet P1d=$(le $(cat root))\" -ex \"maint packet P1b=$(le 0x80000011)\""
                    + " -ex 'maintenance flush register-cache'";
            default -> "-ex \"set \\$satp = $(cat root)\"";
        };
        StringBuilder monitor = new StringBuilder();
        for (String command : commands(format)) {
            monitor.append(" -ex 'monitor ").append(command).append("'");
        }
        return "#!/usr/bin/env bash\n"
                + "# Loads this image into QEMU and prints the monitor's view of the page tables (" + format + ").\n"
                + "# Needs " + emulator(format) + " and " + GDB + " (Debian: qemu-system-misc or qemu-system-x86, gdb-multiarch).\n"
                + "set -euo pipefail\n"
                + "cd \"$(dirname \"${BASH_SOURCE[0]}\")\"\n"
                + "port=${QEMU_GDB_PORT:-1234}\n"
                + (format.equals("x86_64") ? "# x86-64's control registers are written with gdb's P packet: a value little-endian\n"
                        + "le() { printf '%016x' \"$(($1))\" | sed -E 's/(..)(..)(..)(..)(..)(..)(..)(..)/\\8\\7\\6\\5\\4\\3\\2\\1/'; }\n" : "")
                + emulator(format) + (riscv ? " -machine virt -bios none" : "")
                + " -m 256M -display none -S -monitor none -serial none -parallel none \\\n"
                + "    -gdb tcp:127.0.0.1:$port -device loader,file=memory.bin,addr=$(cat ram-base) &\n"
                + "vm=$!\n"
                + "trap 'kill $vm 2>/dev/null || true' EXIT\n"
                + "sleep 1\n"
                + GDB + " -batch -nx -ex 'set architecture " + gdbArchitecture(format) + "' -ex \"target remote 127.0.0.1:$port\" \\\n"
                + "    " + setRoot + monitor + " -ex kill\n";
    }

    private static String read(Path dir, String file) throws IOException {
        return Files.readString(dir.resolve(file)).strip();
    }

    private static void waitForPort(int port, Process vm) throws IOException, InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (!vm.isAlive()) {
                throw new IOException("QEMU exited at once (exit code " + vm.exitValue() + "); see qemu.log in the image folder");
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                if (s.isConnected()) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IOException("QEMU's gdb stub did not open port " + port + " within 10 s");
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
