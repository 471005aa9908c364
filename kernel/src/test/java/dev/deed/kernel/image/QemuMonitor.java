package dev.deed.kernel.image;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a real QEMU, stopped at reset, with an mmu-image's memory.bin loaded at the RAM base; gdb
 * sets the root register (and on i386 CR4.PSE and CR0.PG) and asks QEMU's monitor for its view of
 * the page tables. Every process is bounded by a timeout and killed afterwards.
 */
final class QemuMonitor {
    private static final String GDB = "gdb-multiarch";

    private QemuMonitor() {
    }

    /** Skips the calling test when QEMU or gdb is missing, unless DEED_REQUIRE_QEMU=1 (CI), where it fails. */
    static void requireTools(String qemu) {
        boolean present = onPath(qemu) && onPath(GDB);
        if (!present && "1".equals(System.getenv("DEED_REQUIRE_QEMU"))) {
            throw new AssertionError(qemu + " and " + GDB + " are required (DEED_REQUIRE_QEMU=1) but not on PATH");
        }
        Assumptions.assumeTrue(present, qemu + " or " + GDB + " is not installed; .ci/run installs them "
                + "(apt-get install qemu-system-misc qemu-system-x86 gdb-multiarch)");
    }

    /** The monitor's answer to {@code command} for the image in {@code dir}. */
    static String ask(Path dir, String format, String command) throws IOException, InterruptedException {
        boolean riscv = !format.equals("i386");
        String qemu = riscv ? "qemu-system-riscv64" : "qemu-system-i386";
        String base = Files.readString(dir.resolve("ram-base")).strip();
        String root = Files.readString(dir.resolve("root")).strip();
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<String> qemuArgs = new ArrayList<>(List.of(qemu));
        if (riscv) {
            qemuArgs.addAll(List.of("-machine", "virt", "-bios", "none"));
        }
        qemuArgs.addAll(List.of("-m", "256M", "-display", "none", "-S", "-monitor", "none", "-serial", "none",
                "-parallel", "none", "-gdb", "tcp:127.0.0.1:" + port,
                "-device", "loader,file=" + dir.resolve("memory.bin") + ",addr=" + base));
        Process vm = new ProcessBuilder(qemuArgs).redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile()).start();
        try {
            List<String> gdb = new ArrayList<>(List.of(GDB, "-batch", "-nx",
                    "-ex", "set architecture " + (riscv ? "riscv:rv64" : "i386"),
                    "-ex", "target remote 127.0.0.1:" + port));
            if (riscv) {
                gdb.addAll(List.of("-ex", "set $satp = " + root));
            } else {
                gdb.addAll(List.of("-ex", "set $cr3 = " + root, "-ex", "set $cr4 = 0x10", "-ex", "set $cr0 = 0x80000011"));
            }
            gdb.addAll(List.of("-ex", "monitor " + command, "-ex", "kill"));
            waitForPort(port);
            Process client = new ProcessBuilder(gdb).redirectErrorStream(true).start();
            byte[] out = client.getInputStream().readAllBytes();
            if (!client.waitFor(60, TimeUnit.SECONDS)) {
                client.destroyForcibly();
                throw new AssertionError("gdb did not finish within 60 s");
            }
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            vm.destroyForcibly();
            vm.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void waitForPort(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (var s = new java.net.Socket("127.0.0.1", port)) {
                if (s.isConnected()) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("QEMU's gdb stub did not open port " + port + " within 10 s");
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
