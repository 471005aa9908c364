/**
 * Lifecycle properties: random sequences of operations on a system under test, checked against a
 * model after every step, shrunk to a minimal failing sequence when they fail.
 *
 * <p>The model in ten lines:
 * <ol>
 *   <li>Every random decision is a bounded integer drawn from {@link dev.deed.lifecycle.Choices},
 *       which records it; the recorded {@code long[]} <em>is</em> the test case.</li>
 *   <li>A trial builds a fresh model {@code M} and system {@code S}, then repeats: pick an
 *       {@link dev.deed.lifecycle.Action} whose precondition holds, let it draw its arguments
 *       (reading the model to choose among live handles), apply the bound
 *       {@link dev.deed.lifecycle.Step} to system and model, check every
 *       {@link dev.deed.lifecycle.Invariant}.</li>
 *   <li>Swarm mode: each trial first draws per-action weights, some actions switched off.</li>
 *   <li>A failure is an exception, a broken invariant, or a trial that outlives its time bound.</li>
 *   <li>Shrinking edits the choice sequence (delete chunks, zero chunks, lower values), replays it,
 *       and keeps an edit only if the <em>same</em> failure recurs on a shortlex-smaller sequence.</li>
 *   <li>The result names each step of the minimal run and a replay token; running with
 *       {@code -Ddeed.replay=<token>} replays exactly that sequence.</li>
 * </ol>
 * Nothing here reads the wall clock except the trial time bound, which only decides whether a trial
 * is declared hung; a seed fully determines the sequences generated.
 */
package dev.deed.lifecycle;
