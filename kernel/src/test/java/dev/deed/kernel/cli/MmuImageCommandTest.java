package dev.deed.kernel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MmuImageCommandTest {
    @TempDir
    Path dir;

    private Path ops(String text) throws IOException {
        Path file = dir.resolve("ops.txt");
        Files.writeString(file, text);
        return file;
    }

    private CliRun image(String arch, Path ops) {
        return CliRun.of("mmu-image", "--arch", arch, "--ops", ops.toString(), "--out", dir.resolve("out").toString());
    }

    private CliRun image(String arch, String paging, Path ops) {
        return CliRun.of("mmu-image", "--arch", arch, "--paging", paging, "--ops", ops.toString(), "--out", dir.resolve("out").toString());
    }

    @Test
    void writesTheImageFiles() throws IOException {
        CliRun run = image("riscv64", ops("""
                # two pages and an MMIO window
                map 0xffffffc000000000 0x2000 rw
                map-untracked 0xffffffc040000000 0x10000000 0x200000 rwg   # one 2 MiB superpage
                """));
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().startsWith("sv39: 3 mappings, root 0x80000000000"), run.out());
        Path out = dir.resolve("out");
        assertEquals("sv39", Files.readString(out.resolve("arch")).strip());
        assertEquals("0x80000000", Files.readString(out.resolve("ram-base")).strip());
        assertTrue(Files.readString(out.resolve("root")).strip().startsWith("0x8000000000080"));
        var lines = Files.readAllLines(out.resolve("mappings.txt"));
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).matches("0xffffffc000000000 0x8[0-9a-f]{7} 0x1000 rw"), lines.get(0));
        assertEquals("0xffffffc040000000 0x10000000 0x200000 rwg", lines.get(2));
        long bin = Files.size(out.resolve("memory.bin"));
        assertTrue(bin > 0 && bin % 4096 == 0 && bin < (8 << 20), "memory.bin from the RAM base to the highest frame in use: " + bin);
        var merged = Files.readAllLines(out.resolve("mappings-merged.txt"));
        assertEquals(3, merged.size(), "the pages' frames came from the top down, so QEMU's info mem would not merge them: " + merged);
        assertEquals(String.format("ffffffc000000000 %016x 0000000000001000 rw-----", Long.decode(lines.get(0).split(" ")[1])),
                merged.get(0));
        assertEquals("ffffffc040000000 0000000010000000 0000000000200000 rw--g--", merged.get(2));
        String script = Files.readString(out.resolve("qemu.sh"));
        assertTrue(Files.isExecutable(out.resolve("qemu.sh")) && script.contains("qemu-system-riscv64 -machine virt")
                && script.contains("monitor info mem"), script);
    }

    @Test
    void sv48IsTheRiscv64ArchWithItsPagingFormat() throws IOException {
        CliRun run = image("riscv64", "sv48", ops("map 0xffff800000000000 0x1000 rw\n"));
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().startsWith("sv48: 1 mappings, root 0x9"), run.out());
        assertEquals("sv48", Files.readString(dir.resolve("out/arch")).strip());
    }

    @Test
    void i386FlagsAreEffectiveRightsWithReadAndExecuteImplied() throws IOException {
        CliRun run = image("i386", ops("map 0xc0000000 0x1000 ru\nmap-untracked 0xc0400000 0xe0000000 0x400000 rwg\n"));
        assertEquals(0, run.exit(), run.err());
        var lines = Files.readAllLines(dir.resolve("out/mappings.txt"));
        assertTrue(lines.get(0).endsWith(" 0x1000 rxu"), lines.get(0));
        assertEquals("0xc0400000 0xe0000000 0x400000 rwxg", lines.get(1));
    }

    @Test
    void aBadLineStopsWithFileAndLineAndWritesNothing() throws IOException {
        String[][] cases = {
                {"map 0x1000 0x1000 rw\nfrobnicate 0x0\n", ":2: unknown operation 'frobnicate'"},
                {"map 4096 0x1000 rw\n", ":1: VA '4096' must be a hex number written with 0x"},
                {"map 0x1000 0x1000\n", ":1: 'map' takes 3 arguments (map VA SIZE FLAGS), got 2"},
                {"map 0x1000 0x1000 rwa\n", ":1: FLAGS 'rwa': 'a' is not one of r w x u g"},
                {"map 0x1001 0x1000 rw\n", ":1: map at 0x0000000000001001: the address is not 4 KiB-aligned"},
                {"map 0x1000 0x10 rw\n", ":1: SIZE 0x10 must be a positive multiple of 0x1000"},
                {"map 0x1000 0x1000 rw\nmap 0x1000 0x1000 r\n", ":2: map at 0x1000: overlaps the existing 4 KiB mapping at 0x1000"},
                {"map 0x4000000000 0x1000 rw\n", ":1: map [0x4000000000, 0x4000001000): not a canonical range for sv39"},
                {"unmap 0x1000 0x1000\n", ":1: unmap [0x1000, 0x2000): nothing is mapped there"},
                {"map 0x1000 0x1000 w\n", ":1: map with rights w: W without R is a reserved encoding on RISC-V"},
                {"map-untracked 0x200000 0x80400000 0x1000 rw\n", ":1: no untracked handle for 0x80400000: it is allocatable RAM"},
        };
        for (String[] c : cases) {
            Path file = ops(c[0]);
            CliRun run = image("riscv64", file);
            assertEquals(2, run.exit(), c[0]);
            assertTrue(run.errLine().startsWith(file + c[1]), run.err() + " should start with " + file + c[1]);
            assertFalse(Files.exists(dir.resolve("out")), "nothing is written after " + c[0]);
        }
    }

    @Test
    void badArgumentsNameTheValueAndTheAllowedOnes() throws IOException {
        Path file = ops("map 0x1000 0x1000 rw\n");
        assertEquals("deed: --arch 'sv57' is not an architecture here; available: i386, riscv64, x86_64", usage(image("sv57", file)));
        assertEquals("deed: --arch 'sv39' is not an architecture here; available: i386, riscv64, x86_64; sv39 is a paging format:"
                + " --arch riscv64 --paging sv39", usage(image("sv39", file)), "a format name is pointed at --paging");
        assertEquals("deed: --paging 'sv57' is not a paging format of riscv64; formats: sv39, sv48",
                usage(image("riscv64", "sv57", file)));
        assertEquals("deed: --paging 'sv39' is not a paging format of i386; formats: i386", usage(image("i386", "sv39", file)));
        assertTrue(usage(CliRun.of("mmu-image", "--arch", "riscv64")).startsWith("deed: Missing required options: '--ops=FILE', '--out=DIR'"));
        assertTrue(usage(CliRun.of("mmu-image", "--arch", "riscv64", "--ops", dir.resolve("nope").toString(), "--out", "x"))
                .contains("nope' is not a readable file"));
        assertEquals("deed: Unmatched argument at index 0: 'xyzzy'; commands: demo, boot, proc, soak, bugs, mmu-image, viz, help,"
                + " generate-completion, test, bench, shell", usage(CliRun.of("xyzzy")));
        assertEquals("deed: Unmatched argument at index 0: 'mmu-imgae'; did you mean mmu-image?", usage(CliRun.of("mmu-imgae")));
    }

    private static String usage(CliRun run) {
        assertEquals(2, run.exit(), run.out() + run.err());
        return run.errLine();
    }

    @Test
    void helpAndVersion() {
        CliRun help = CliRun.of("mmu-image", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("map VA SIZE FLAGS | map-untracked VA PA SIZE FLAGS"), help.out());
        CliRun top = CliRun.of("--help");
        assertTrue(top.out().contains("mmu-image") && top.out().contains("./deed test"), top.out());
        CliRun version = CliRun.of("--version");
        assertEquals(0, version.exit());
        assertTrue(version.out().startsWith("deed "), version.out());
    }
}
