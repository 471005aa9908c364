package dev.deed.kernel.cli;

import picocli.CommandLine.Option;

/** {@code --json}: the command's result as one JSON object on stdout instead of text. */
final class OutputOptions {
    @Option(names = "--json", description = "Print the result as one JSON object (the resource report, steps, timings, failure, replay token).")
    boolean json;
}
