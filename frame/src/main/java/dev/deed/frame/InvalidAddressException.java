package dev.deed.frame;

/** An address that breaks a rule: out of range, unaligned, or not in the memory it should name. */
public final class InvalidAddressException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidAddressException(String message) {
        super(message);
    }
}
