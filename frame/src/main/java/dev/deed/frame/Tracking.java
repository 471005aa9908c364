package dev.deed.frame;

/**
 * Whether the allocator owns a frame. A phantom type: it appears only as the type argument of
 * {@link Frame} and {@link Segment}, so APIs can demand {@code Frame<Tracked>} (user page tables) or
 * accept untracked memory (kernel page tables) and javac checks the difference.
 */
public sealed interface Tracking permits Tracked, Untracked {
}
