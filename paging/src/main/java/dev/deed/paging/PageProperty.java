package dev.deed.paging;

import java.util.Locale;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Rights and attributes of a mapping. Letters as QEMU prints them: {@code r w x u g a d}.
 *
 * <p>A value class (equal when every component is): it carries its own {@link #index}, the 9 bits
 * that name it among the interned values, so that the MMU model can keep rights in a TLB slot or a
 * walk result as an int and compare them with one instruction.
 */
public final class PageProperty {
    private final boolean read;
    private final boolean write;
    private final boolean execute;
    private final boolean user;
    private final boolean global;
    private final boolean accessed;
    private final boolean dirty;
    private final CachePolicy cache;
    private final int index;

    public PageProperty(boolean read, boolean write, boolean execute, boolean user, boolean global,
                        boolean accessed, boolean dirty, CachePolicy cache) {
        this.read = read;
        this.write = write;
        this.execute = execute;
        this.user = user;
        this.global = global;
        this.accessed = accessed;
        this.dirty = dirty;
        this.cache = java.util.Objects.requireNonNull(cache, "cache");
        this.index = cache.ordinal() << 7 | bits(read, write, execute, user, global, accessed, dirty);
    }

    private static int bits(boolean read, boolean write, boolean execute, boolean user, boolean global,
                            boolean accessed, boolean dirty) {
        return (read ? 1 : 0) | (write ? 2 : 0) | (execute ? 4 : 0) | (user ? 8 : 0) | (global ? 16 : 0)
                | (accessed ? 32 : 0) | (dirty ? 64 : 0);
    }

    public boolean read() {
        return read;
    }

    public boolean write() {
        return write;
    }

    public boolean execute() {
        return execute;
    }

    public boolean user() {
        return user;
    }

    public boolean global() {
        return global;
    }

    public boolean accessed() {
        return accessed;
    }

    public boolean dirty() {
        return dirty;
    }

    public CachePolicy cache() {
        return cache;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof PageProperty p && p.index == index;
    }

    @Override
    public int hashCode() {
        return index;
    }

    /** Every distinct value, so that decoding an entry or combining rights allocates nothing: see {@link #of}. */
    private static final PageProperty[] INTERNED = new PageProperty[CachePolicy.values().length << 7];

    static {
        for (CachePolicy c : CachePolicy.values()) {
            for (int bits = 0; bits < 1 << 7; bits++) {
                INTERNED[c.ordinal() << 7 | bits] = new PageProperty((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0,
                        (bits & 8) != 0, (bits & 16) != 0, (bits & 32) != 0, (bits & 64) != 0, c);
            }
        }
    }

    /** The shared value with these rights and attributes (equal to, and cheaper than, the constructor's). */
    public static PageProperty of(boolean read, boolean write, boolean execute, boolean user, boolean global,
                                  boolean accessed, boolean dirty, CachePolicy cache) {
        return INTERNED[cache.ordinal() << 7 | bits(read, write, execute, user, global, accessed, dirty)];
    }

    /** This value's place among the interned ones ({@link #ofIndex}): 9 bits, rights and attributes and cache policy. */
    int index() {
        return index;
    }

    /** Whether the value at {@code index} (see {@link #index}) is global: read from the index, not the value. */
    static boolean global(int index) {
        return (index & 16) != 0;
    }

    /** Whether the value at {@code index} (see {@link #index}) is dirty. */
    static boolean dirty(int index) {
        return (index & 64) != 0;
    }

    /** The interned value at {@code index} (see {@link #index}). */
    static PageProperty ofIndex(int index) {
        return INTERNED[index];
    }

    /** Parses letters from {@code rwxugad} (any order, each at most once); {@code -} or empty for none. */
    public static PageProperty parse(String letters) {
        boolean[] set = new boolean[7];
        String all = "rwxugad";
        String text = letters.strip().toLowerCase(Locale.ROOT);
        if (!text.equals("-")) {
            for (char c : text.toCharArray()) {
                int i = all.indexOf(c);
                if (i < 0 || set[i]) {
                    throw new IllegalArgumentException("flags '" + letters + "': '" + c + "' is "
                            + (i < 0 ? "not one of r w x u g a d" : "given twice"));
                }
                set[i] = true;
            }
        }
        return of(set[0], set[1], set[2], set[3], set[4], set[5], set[6], CachePolicy.WRITE_BACK);
    }

    private static final PageProperty KERNEL_DATA = parse("rw");
    private static final PageProperty USER_DATA = parse("rwu");

    /** Read-write kernel data ({@code rw}); one shared value, not parsed per call. */
    public static PageProperty kernelData() {
        return KERNEL_DATA;
    }

    /** Read-write user data ({@code rwu}). */
    public static PageProperty userData() {
        return USER_DATA;
    }

    public PageProperty withAccessed(boolean a) {
        return of(read, write, execute, user, global, a, dirty, cache);
    }

    public PageProperty withDirty(boolean d) {
        return of(read, write, execute, user, global, accessed, d, cache);
    }

    public PageProperty withCache(CachePolicy c) {
        return of(read, write, execute, user, global, accessed, dirty, c);
    }

    /** Rights only (r w x u), attributes cleared: what two mappings are compared by. */
    public PageProperty rights() {
        return of(read, write, execute, user, false, false, false, CachePolicy.WRITE_BACK);
    }

    /** The set letters of {@code rwxugad} in that order, or {@code -} if none. */
    public String letters() {
        StringBuilder b = new StringBuilder();
        boolean[] set = {read, write, execute, user, global, accessed, dirty};
        for (int i = 0; i < set.length; i++) {
            if (set[i]) {
                b.append("rwxugad".charAt(i));
            }
        }
        return b.isEmpty() ? "-" : b.toString();
    }

    @Override
    public String toString() {
        return letters() + (cache == CachePolicy.WRITE_BACK ? "" : " " + cache);
    }
}
