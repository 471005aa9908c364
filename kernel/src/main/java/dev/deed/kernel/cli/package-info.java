/**
 * The {@code deed} command line (picocli). Bad arguments: one line on stderr naming the bad value
 * and the allowed ones, exit code 2. Errors inside a run: the typed error's message, exit code 1.
 * No stack traces unless {@code --debug}.
 */
package dev.deed.kernel.cli;
