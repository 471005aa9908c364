/**
 * Driving a running kernel from outside: {@link dev.deed.kernel.soak.Session} (a booted kernel whose
 * init runs commands posted to it, as {@code ./deed shell} uses), the agents behind it, and the
 * flagship lifecycle property — a whole booted kernel driven by random syscalls, checked against a
 * model after every step. {@code ./deed soak} runs it at scale; the kernel's tests run it small.
 */
package dev.deed.kernel.soak;
