package dev.deed.paging;

/**
 * A translation the MMU refused: what was accessed, how, and why.
 *
 * <p>It models a hardware trap, which the kernel takes on every demand-zero and copy-on-write
 * fault, so it is cheap to raise: no stack trace (the trap's origin is the access, named by
 * {@link #va()} and {@link #access()}, not a Java frame) and the message is formatted only when read.
 */
public final class PageFault extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final FaultKind kind;
    /** Why, or how to say why (a {@code Supplier<String>} on the hot paths, evaluated only when the message is read). */
    private final transient Object detail;
    private final long va;
    private final Access access;
    private final Privilege privilege;

    public PageFault(FaultKind kind, long va, Access access, Privilege privilege, String detail) {
        this(kind, va, access, privilege, (Object) detail);
    }

    /** As the other constructor, with the detail built only if the message is read: a fault the kernel resolves costs no string. */
    public PageFault(FaultKind kind, long va, Access access, Privilege privilege, java.util.function.Supplier<String> detail) {
        this(kind, va, access, privilege, (Object) detail);
    }

    private PageFault(FaultKind kind, long va, Access access, Privilege privilege, Object detail) {
        super(null, null, false, false);
        this.kind = kind;
        this.detail = detail;
        this.va = va;
        this.access = access;
        this.privilege = privilege;
    }

    @Override
    public String getMessage() {
        return String.format("page fault at 0x%016x (%s, %s): %s — %s", va, access.name().toLowerCase(java.util.Locale.ROOT),
                privilege.name().toLowerCase(java.util.Locale.ROOT), kind,
                detail instanceof java.util.function.Supplier<?> why ? why.get() : detail);
    }

    public FaultKind kind() {
        return kind;
    }

    public long va() {
        return va;
    }

    public Access access() {
        return access;
    }

    public Privilege privilege() {
        return privilege;
    }
}
