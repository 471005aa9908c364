package dev.deed.kernel.image;

import dev.deed.paging.Mapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deed's mappings and QEMU's monitor listings in one vocabulary: 4 KiB pages ({@code VA → "PA
 * letters"}), for an exact comparison, and QEMU's own merged {@code info mem} line format, so that a
 * person can read the two side by side.
 *
 * <ul>
 *   <li>RISC-V {@code info mem}: {@code vaddr paddr size attr}, attr seven letters {@code rwxugad}
 *       with {@code -} for a clear bit. QEMU merges a leaf into the block before it only within one
 *       table node: the next entry of the same node, equal attributes, the physical address following on.</li>
 *   <li>i386 and x86-64 {@code info mem}: {@code vstart-vend size prot} in 16 hex digits, prot
 *       {@code [u-]r[w-]}, no physical address; QEMU merges while the protection stays the same.
 *       {@code info tlb}: {@code va: pa XGPDACTUW} per page or large page (X: execute-disable, P: a
 *       large page), which is what the exact comparison uses.</li>
 * </ul>
 */
public final class QemuListing {
    private QemuListing() {
    }

    /** Deed's leaves as pages: VA → "pa letters" (letters as Deed prints them, lower-case rwxugad). */
    public static Map<Long, String> pages(List<Mapping> mappings) {
        Map<Long, String> pages = new TreeMap<>(Long::compareUnsigned);
        for (Mapping m : mappings) {
            add(pages, m.va().value(), m.pa(), m.size(), m.props().letters());
        }
        return pages;
    }

    /** The pages QEMU's answer lists: {@code info mem} on RISC-V, {@code info tlb} on i386. */
    public static Map<Long, String> qemuPages(String format, String answer) {
        return Qemu.pc(format) ? pcTlb(format, answer) : riscvMem(answer);
    }

    /** Deed's mappings merged as QEMU's {@code info mem} prints them for {@code format}. */
    public static List<String> merged(String format, List<Mapping> mappings) {
        boolean i386 = Qemu.pc(format);
        List<String> lines = new ArrayList<>();
        boolean first = true;
        long start = 0;
        long end = 0;
        long pa = 0;
        long leafSize = 0;
        String attr = "";
        for (Mapping m : mappings) {
            String a = i386 ? i386Prot(m.props().letters()) : riscvAttr(m.props().letters());
            long va = m.va().value();
            boolean joins = !first && a.equals(attr) && (i386 ? va == end : m.pa() == pa + (end - start)
                    && m.size() == leafSize && va == end && sameNode(va, end - leafSize, leafSize));
            leafSize = m.size();
            if (!joins) {
                if (!first) {
                    lines.add(line(i386, start, end, pa, attr));
                }
                first = false;
                start = va;
                pa = m.pa();
                attr = a;
            }
            end = va + m.size();
        }
        if (!first) {
            lines.add(line(i386, start, end, pa, attr));
        }
        return lines;
    }

    /** The lines of a monitor answer that are mapping lines of {@code info mem} (headers and chatter dropped). */
    public static List<String> memLines(String format, String answer) {
        return answer.lines().map(String::strip).filter(l -> Qemu.pc(format)
                ? l.matches("[0-9a-f]{16}-[0-9a-f]{16} [0-9a-f]{16} [u-]r[w-]")
                : l.matches("[0-9a-f]{16} [0-9a-f]{16} [0-9a-f]{16} [r-][w-][x-][u-][g-][a-][d-]")).toList();
    }

    /** Whether two leaves of {@code size} lie in one RISC-V table node (512 entries). */
    private static boolean sameNode(long va, long other, long size) {
        long span = size * 512;
        return Long.divideUnsigned(va, span) == Long.divideUnsigned(other, span);
    }

    private static String line(boolean i386, long start, long end, long pa, String attr) {
        return i386 ? String.format("%016x-%016x %016x %s", start, end, end - start, attr)
                : String.format("%016x %016x %016x %s", start, pa, end - start, attr);
    }

    /** Deed's letters as RISC-V {@code info mem}'s seven-letter attribute. */
    static String riscvAttr(String letters) {
        StringBuilder b = new StringBuilder();
        for (char c : "rwxugad".toCharArray()) {
            b.append(letters.indexOf(c) >= 0 ? c : '-');
        }
        return b.toString();
    }

    private static String i386Prot(String letters) {
        return (letters.indexOf('u') >= 0 ? "u" : "-") + "r" + (letters.indexOf('w') >= 0 ? "w" : "-");
    }

    private static Map<Long, String> riscvMem(String answer) {
        Map<Long, String> pages = new TreeMap<>(Long::compareUnsigned);
        for (String line : memLines("sv39", answer)) {
            String[] f = line.split(" ");
            add(pages, hex(f[0]), hex(f[1]), hex(f[2]), f[3].replace("-", ""));
        }
        return pages;
    }

    /**
     * {@code info tlb} on i386 and x86-64: "va: pa XGPDACTUW". A P marks a large page: 4 MiB on i386; on
     * x86-64 a 1 GiB page where its addresses are 1 GiB-aligned and no listed page follows within
     * 1 GiB, else 2 MiB (the listing does not say which). Every present page is readable; i386 pages
     * are executable, x86-64's unless X.
     */
    private static Map<Long, String> pcTlb(String format, String answer) {
        boolean x64 = format.equals("x86_64");
        List<String[]> rows = new ArrayList<>();
        for (String line : answer.lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 3 && f[0].endsWith(":") && f[2].length() == 9) {
                rows.add(f);
            }
        }
        Map<Long, String> pages = new TreeMap<>(Long::compareUnsigned);
        for (int i = 0; i < rows.size(); i++) {
            String[] f = rows.get(i);
            String bits = f[2];
            long va = hex(f[0].substring(0, f[0].length() - 1));
            long pa = hex(f[1]);
            String letters = "rw".substring(0, bits.charAt(8) == 'W' ? 2 : 1) + (x64 && bits.charAt(0) == 'X' ? "" : "x")
                    + (bits.charAt(7) == 'U' ? "u" : "") + (bits.charAt(1) == 'G' ? "g" : "")
                    + (bits.charAt(4) == 'A' ? "a" : "") + (bits.charAt(3) == 'D' ? "d" : "");
            long size = 4096;
            if (bits.charAt(2) == 'P') {
                long gib = 1L << 30;
                long next = i + 1 < rows.size() ? hex(rows.get(i + 1)[0].substring(0, rows.get(i + 1)[0].length() - 1)) : 0;
                boolean room = i + 1 == rows.size() || Long.compareUnsigned(next - va, gib) >= 0;
                size = !x64 ? 4L << 20 : (va & (gib - 1)) == 0 && (pa & (gib - 1)) == 0 && room ? gib : 2L << 20;
            }
            add(pages, va, pa, size, letters);
        }
        return pages;
    }

    private static void add(Map<Long, String> pages, long va, long pa, long size, String letters) {
        for (long off = 0; off < size; off += 4096) {
            pages.put(va + off, Long.toHexString(pa + off) + " " + letters);
        }
    }

    private static long hex(String s) {
        return Long.parseUnsignedLong(s.toLowerCase(Locale.ROOT).replace("0x", ""), 16);
    }
}
