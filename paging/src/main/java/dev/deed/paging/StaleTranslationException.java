package dev.deed.paging;

/**
 * A frame or page-table node released while a CPU's TLB could still reach it: the hazard of the
 * rejected Asterinas PR #1387 (B5). Names the frame and the CPU; nothing was released.
 */
public final class StaleTranslationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StaleTranslationException(String message) {
        super(message);
    }
}
