package dev.deed.frame;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The machine's observation point: the layers report what happens at their existing decision points
 * (a step, a switch, a syscall, a page fault, a shootdown and its acknowledgement, an exit, a reap)
 * and an attached {@link Sink} — a recorder for {@code deed viz}, say — sees each event with the CPU
 * it happened on. One per machine ({@link FrameAllocator#probe()}); with nothing attached an event
 * costs a field read. A sink only observes: it must not call back into the kernel except to read
 * state, and only at a {@link Event#STEP}, the boundary between kernel paths.
 */
public final class Probe {
    /** What happened. The meaning of the two numbers and the text is given per constant. */
    public enum Event {
        /** A step boundary of task {@code a}: {@code b} is 1 for user work (a load or store), 0 for a syscall. */
        STEP,
        /** Task {@code a} was switched in on the CPU. */
        SWITCH_IN,
        /** The CPU has nothing to run. */
        IDLE,
        /** Process {@code a} (thread {@code b}) entered syscall {@code text}. */
        SYSCALL,
        /** Process {@code a} took a page fault at {@code b}; {@code text} says how it ended. */
        FAULT,
        /** A TLB shootdown was posted to CPU {@code a} (a busy CPU takes it at its next step). */
        SHOOTDOWN,
        /** The CPU acknowledged {@code a} shootdown requests. */
        ACK,
        /** Process {@code a} forked child {@code b}. */
        FORK,
        /** Process {@code a} became a zombie with status {@code b}. */
        EXIT,
        /** Process {@code a} was reaped by process {@code b} (0: the kernel). */
        REAP
    }

    /** Receives events; see {@link Probe} for what it may do. */
    @FunctionalInterface
    public interface Sink {
        void event(Event event, int cpu, long a, long b, @Nullable String text);
    }

    private final FrameAllocator frames;
    private @Nullable Sink sink;

    Probe(FrameAllocator frames) {
        this.frames = frames;
    }

    /** Attaches {@code sink} (replacing any other), or detaches with null. */
    public void attach(@Nullable Sink sink) {
        this.sink = sink;
    }

    public boolean attached() {
        return sink != null;
    }

    /** Reports {@code event} on the CPU executing now. */
    public void report(Event event, long a, long b, @Nullable String text) {
        Sink s = sink;
        if (s != null) {
            s.event(event, frames.currentCpu(), a, b, text);
        }
    }

    /** Reports {@code event} on {@code cpu}. */
    public void report(Event event, int cpu, long a, long b, @Nullable String text) {
        Sink s = sink;
        if (s != null) {
            s.event(event, cpu, a, b, text);
        }
    }
}
