package dev.deed.kernel.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * QEMU must agree: load the image into a real emulator, point its MMU at Deed's root, and its
 * monitor must list exactly the pages mappings.txt lists (compared page by page: VA → PA and rights).
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
            "i386", """
                    map 0xc0000000 0x3000 rw
                    map 0x400000 0x1000 rwu
                    map-untracked 0xc0400000 0xe0000000 0x1000000 rwg
                    unmap 0xc0401000 0x1000
                    protect 0xc0002000 0x1000 ru
                    protect 0xc0c00000 0x400000 r
                    """);

    @ParameterizedTest
    @ValueSource(strings = {"sv39", "sv48", "i386"})
    void qemuListsExactlyTheMappingsDeedMade(String format, @TempDir Path dir) throws Exception {
        QemuMonitor.requireTools(format.equals("i386") ? "qemu-system-i386" : "qemu-system-riscv64");
        Path ops = dir.resolve("ops.txt");
        Files.writeString(ops, OPS.get(format));
        Path out = dir.resolve("image");
        MmuImage.build(format, ops, out);

        Map<Long, String> deed = pages(Files.readAllLines(out.resolve("mappings.txt")));
        String answer = QemuMonitor.ask(out, format, format.equals("i386") ? "info tlb" : "info mem");
        Map<Long, String> qemu = format.equals("i386") ? i386Tlb(answer) : riscvMem(answer);
        assertTrue(deed.size() > 100, "a non-trivial image");
        assertEquals(deed, qemu, "QEMU's view of the tables:\n" + answer);
    }

    /** mappings.txt expanded to 4 KiB pages: VA → "PA letters". */
    private static Map<Long, String> pages(List<String> lines) {
        Map<Long, String> pages = new TreeMap<>(Long::compareUnsigned);
        for (String line : lines) {
            String[] f = line.split(" ");
            add(pages, hex(f[0]), hex(f[1]), hex(f[2]), f[3]);
        }
        return pages;
    }

    /** riscv {@code info mem}: "vaddr paddr size attr", attr as 7 letters rwxugad with '-' for unset. */
    private static Map<Long, String> riscvMem(String answer) {
        Map<Long, String> pages = new TreeMap<>(Long::compareUnsigned);
        for (String line : answer.lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 4 && f[0].matches("[0-9a-f]{16}") && f[3].length() == 7) {
                add(pages, hex(f[0]), hex(f[1]), hex(f[2]), f[3].replace("-", ""));
            }
        }
        return pages;
    }

    /** i386 {@code info tlb}: "va: pa XGPDACTUW"; a P marks a 4 MiB page; pages are always readable and executable. */
    private static Map<Long, String> i386Tlb(String answer) {
        Map<Long, String> pages = new TreeMap<>(Long::compareUnsigned);
        for (String line : answer.lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 3 && f[0].endsWith(":") && f[2].length() == 9) {
                String bits = f[2];
                String letters = "rw".substring(0, bits.charAt(8) == 'W' ? 2 : 1) + "x"
                        + (bits.charAt(7) == 'U' ? "u" : "") + (bits.charAt(1) == 'G' ? "g" : "")
                        + (bits.charAt(4) == 'A' ? "a" : "") + (bits.charAt(3) == 'D' ? "d" : "");
                long size = bits.charAt(2) == 'P' ? 4L << 20 : 4096;
                add(pages, hex(f[0].substring(0, f[0].length() - 1)), hex(f[1]), size, letters);
            }
        }
        return pages;
    }

    private static void add(Map<Long, String> pages, long va, long pa, long size, String letters) {
        for (long off = 0; off < size; off += 4096) {
            pages.put(va + off, Long.toHexString(pa + off) + " " + letters);
        }
    }

    private static long hex(String s) {
        return Long.parseUnsignedLong(s.toLowerCase(Locale.ROOT).replace("0x", ""), 16);
    }
}
