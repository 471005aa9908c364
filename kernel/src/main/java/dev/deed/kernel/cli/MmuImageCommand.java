package dev.deed.kernel.cli;

import dev.deed.kernel.image.MmuImage;
import dev.deed.kernel.image.OpsFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code deed mmu-image --arch sv39|sv48|i386 --ops FILE --out DIR}. */
@Command(name = "mmu-image", mixinStandardHelpOptions = true,
        description = {"Build a kernel page table from an ops file and write an image an emulator can load.",
                "Ops (hex with 0x, # comments, FLAGS from r w x u g):",
                "  map VA SIZE FLAGS | map-untracked VA PA SIZE FLAGS | unmap VA SIZE | protect VA SIZE FLAGS",
                "Writes DIR/arch, ram-base, root, memory.bin and mappings.txt (VA PA SIZE FLAGS per leaf)."})
@SuppressWarnings("initialization.field.uninitialized") // picocli injects the options before call()
final class MmuImageCommand implements Callable<Integer> {
    enum Arch { sv39, sv48, i386 }

    @Option(names = "--arch", required = true, description = "Paging format: ${COMPLETION-CANDIDATES}.")
    Arch arch;

    @Option(names = "--ops", required = true, paramLabel = "FILE", description = "The operations to apply.")
    Path ops;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the image.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(ops)) {
            throw new DeedCli.UsageFailure("deed: --ops '" + ops + "' is not a readable file");
        }
        MmuImage.Summary summary;
        try {
            summary = MmuImage.build(arch.name(), ops, out);
        } catch (OpsFileException e) {
            throw new DeedCli.UsageFailure(String.valueOf(e.getMessage()));
        }
        DeedCli.out(spec).printf("%s: %d mappings, root 0x%x, %d bytes of memory from 0x%x written to %s%n",
                summary.format(), summary.mappings().size(), summary.root(), summary.memoryBytes(), summary.ramBase(), out);
        return 0;
    }
}
