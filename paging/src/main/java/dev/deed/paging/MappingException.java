package dev.deed.paging;

/**
 * A page-table request that breaks a rule: unaligned, non-canonical, overlapping an existing
 * mapping, unmapping nothing, size 0, rights the format cannot encode. Nothing was changed.
 */
public final class MappingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MappingException(String message) {
        super(message);
    }
}
