package dev.deed.kernel.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deed.kernel.cli.DeedCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * QEMU must agree: {@code deed mmu-image --qemu} loads the image into a real emulator, points its MMU
 * at Deed's root, and its monitor must list exactly the pages Deed mapped (VA → PA and rights, page by
 * page), with the merged listings side by side and the same. Needs QEMU and gdb-multiarch; skipped
 * without them, except where DEED_REQUIRE_QEMU=1 (CI), where their absence fails.
 */
class MmuImageQemuTest {

    private static final Map<String, String> OPS = Map.of(
            "sv39", """
                    map 0xffffffc000000000 0x4000 rwx
                    map 0x400000 0x2000 rwu
                    map-untracked 0xffffffc040000000 0x40000000 0x600000 rwg
                    map-untracked 0xffffffc080000000 0x10000000 0x1000 rw
                    unmap 0xffffffc040201000 0x1000
                    protect 0xffffffc000001000 0x1000 r
                    protect 0xffffffc040400000 0x3000 rx
                    """,
            "sv48", """
                    map 0xffff800000000000 0x3000 rw
                    map 0x400000 0x1000 rxu
                    map-untracked 0xffff800040000000 0x40000000 0x40400000 rwg
                    unmap 0xffff800040001000 0x2000
                    """,
            "x86_64", """
                    map 0xffff800000000000 0x3000 rw
                    map 0x400000 0x2000 rwxu
                    map 0x600000 0x1000 ru
                    map-untracked 0xffff800040000000 0x100000000 0x40400000 rwg
                    unmap 0xffff800040001000 0x2000
                    protect 0xffff800000001000 0x1000 r
                    protect 0xffff800080000000 0x200000 rx
                    map-untracked 0xffff8000c0000000 0x200000000 0x40000000 rwg
                    """,
            "i386", """
                    map 0xc0000000 0x3000 rw
                    map 0x400000 0x1000 rwu
                    map-untracked 0xc0400000 0xe0000000 0x1000000 rwg
                    unmap 0xc0401000 0x1000
                    protect 0xc0002000 0x1000 ru
                    protect 0xc0c00000 0x400000 r
                    """);

    @ParameterizedTest
    @CsvSource({"riscv64, sv39", "riscv64, sv48", "i386, i386", "x86_64, x86_64"})
    void qemuListsExactlyTheMappingsDeedMade(String arch, String format, @TempDir Path dir) throws Exception {
        requireTools(format);
        Path ops = dir.resolve("ops.txt");
        Files.writeString(ops, OPS.get(format));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = DeedCli.run(new String[] {"mmu-image", "--arch", arch, "--paging", format, "--ops", ops.toString(),
                "--out", dir.resolve("image").toString(), "--qemu"}, new PrintWriter(out, true), new PrintWriter(err, true));
        String text = out.toString();
        assertEquals(0, exit, text + err);
        assertTrue(text.contains("QEMU agrees: all "), text);
        long pages = Long.parseLong(text.replaceAll("(?s).*QEMU agrees: all (\\d+) pages.*", "$1"));
        assertTrue(pages > 100, "a non-trivial image: " + pages);
        List<String> rows = text.lines().filter(l -> l.length() > 20 && Character.isDigit(l.charAt(0)) || l.startsWith("ffff")).toList();
        assertFalse(rows.isEmpty(), text);
        assertTrue(rows.stream().noneMatch(r -> r.contains("≠")), "the merged listings agree line by line:\n" + text);
    }

    /** Skips the test when QEMU or gdb is missing, unless DEED_REQUIRE_QEMU=1 (CI), where it fails. */
    private static void requireTools(String format) {
        List<String> missing = Qemu.missingTools(format);
        if (!missing.isEmpty() && "1".equals(System.getenv("DEED_REQUIRE_QEMU"))) {
            throw new AssertionError(missing + " required (DEED_REQUIRE_QEMU=1) but not on PATH");
        }
        Assumptions.assumeTrue(missing.isEmpty(), missing + " not installed; .ci/run installs them "
                + "(apt-get install qemu-system-misc qemu-system-x86 gdb-multiarch)");
    }
}
