/**
 * The flagship lifecycle property: a whole booted kernel driven by random syscalls, checked against
 * a model after every step. {@code ./deed soak} runs it at scale; the kernel's tests run it small.
 */
package dev.deed.kernel.soak;
