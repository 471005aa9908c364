package dev.deed.kernel.cli;

import dev.deed.frame.OutOfFramesException;
import dev.deed.kernel.image.MmuImage;
import dev.deed.kernel.image.OpsFileException;
import dev.deed.kernel.image.Qemu;
import dev.deed.kernel.image.QemuListing;
import dev.deed.paging.spi.PagingFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code deed mmu-image --arch riscv64|i386 [--paging FORMAT] --ops FILE --out DIR [--qemu]}. */
@Command(name = "mmu-image", mixinStandardHelpOptions = true,
        description = {"Build a kernel page table from an ops file and write an image an emulator can load.",
                "Ops (hex with 0x, # comments, FLAGS from r w x u g):",
                "  map VA SIZE FLAGS | map-untracked VA PA SIZE FLAGS | unmap VA SIZE | protect VA SIZE FLAGS",
                "Writes DIR/arch, ram-base, root, memory.bin, mappings.txt (VA PA SIZE FLAGS per leaf),",
                "mappings-merged.txt (as QEMU's info mem prints it) and qemu.sh (loads the image into QEMU by hand).",
                "With --qemu, loads it into QEMU now and says whether QEMU's view agrees with Deed's, page by page."})
@SuppressWarnings("initialization.field.uninitialized") // picocli injects the options before call()
final class MmuImageCommand implements Callable<Integer> {
    @Mixin
    ArchOption arch = new ArchOption();

    @Option(names = "--ops", required = true, paramLabel = "FILE", description = "The operations to apply.")
    Path ops;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the image.")
    Path out;

    @Option(names = "--qemu", description = "Load the image into QEMU (and gdb) and compare its page-table listing with Deed's.")
    boolean qemu;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException, OutOfFramesException {
        PagingFormat format = arch.format();
        if (!Files.isRegularFile(ops)) {
            throw new DeedCli.UsageFailure("deed: --ops '" + ops + "' is not a readable file");
        }
        if (qemu && !Qemu.FORMATS.contains(format.name())) {
            throw new DeedCli.UsageFailure("deed: --qemu loads " + String.join(", ", Qemu.FORMATS) + " images; '" + format.name()
                    + "' is not wired to QEMU (write the image without --qemu)");
        }
        List<String> missing = qemu ? Qemu.missingTools(format.name()) : List.of();
        if (!missing.isEmpty()) {
            throw new DeedCli.UsageFailure("deed: --qemu needs " + String.join(" and ", missing)
                    + " on PATH (Debian: apt-get install qemu-system-misc qemu-system-x86 gdb-multiarch)");
        }
        MmuImage.Summary summary;
        try {
            summary = MmuImage.build(format.name(), ops, out);
        } catch (OpsFileException e) {
            throw new DeedCli.UsageFailure(String.valueOf(e.getMessage()));
        }
        PrintWriter print = DeedCli.out(spec);
        print.printf("%s: %d mappings, root 0x%x, %d bytes of memory from 0x%x written to %s%n",
                summary.format(), summary.mappings().size(), summary.root(), summary.memoryBytes(), summary.ramBase(), out);
        return qemu ? compareWithQemu(print, format.name(), summary) : 0;
    }

    /** Runs QEMU on the image, prints both listings side by side, and says whether every page agrees. */
    private int compareWithQemu(PrintWriter print, String format, MmuImage.Summary summary) throws IOException, InterruptedException {
        String answer = Qemu.ask(out, format);
        List<String> deed = QemuListing.merged(format, summary.mappings());
        List<String> theirs = QemuListing.memLines(format, answer);
        int width = Math.max(12, deed.stream().mapToInt(String::length).max().orElse(0));
        print.printf("%-" + width + "s   %s%n", "Deed (merged)", "QEMU (" + Qemu.commands(format).get(0) + ")");
        for (int i = 0; i < Math.max(deed.size(), theirs.size()); i++) {
            String left = i < deed.size() ? deed.get(i) : "";
            String right = i < theirs.size() ? theirs.get(i) : "";
            print.printf("%-" + width + "s %s %s%n", left, left.equals(right) ? " " : "≠", right);
        }
        Map<Long, String> expected = QemuListing.pages(summary.mappings());
        Map<Long, String> seen = QemuListing.qemuPages(format, answer);
        if (expected.equals(seen)) {
            print.printf("QEMU agrees: all %d pages map to the same physical address with the same rights.%n", expected.size());
            return 0;
        }
        for (Long va : expected.keySet()) {
            if (!Objects.equals(expected.get(va), seen.get(va))) {
                print.printf("QEMU DISAGREES first at 0x%x: Deed maps %s, QEMU %s (%d pages in Deed's listing, %d in QEMU's)%n",
                        va, expected.get(va), seen.getOrDefault(va, "nothing"), expected.size(), seen.size());
                return DeedCli.FAILURE;
            }
        }
        print.printf("QEMU DISAGREES: it lists %d pages Deed did not map (Deed: %d)%n", seen.size() - expected.size(), expected.size());
        return DeedCli.FAILURE;
    }
}
