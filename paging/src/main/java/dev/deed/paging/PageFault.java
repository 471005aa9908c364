package dev.deed.paging;

/** A translation the MMU refused: what was accessed, how, and why. */
public final class PageFault extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final FaultKind kind;
    private final long va;
    private final Access access;
    private final Privilege privilege;

    public PageFault(FaultKind kind, long va, Access access, Privilege privilege, String detail) {
        super(String.format("page fault at 0x%016x (%s, %s): %s — %s", va, access.name().toLowerCase(java.util.Locale.ROOT),
                privilege.name().toLowerCase(java.util.Locale.ROOT), kind, detail));
        this.kind = kind;
        this.va = va;
        this.access = access;
        this.privilege = privilege;
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
