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
 *   <li>i386 {@code info mem}: {@code vstart-vend size prot} in 16 hex digits, prot {@code [u-]r[w-]},
 *       no physical address; QEMU merges while the protection stays the same. {@code info tlb}:
 *       {@code va: pa XGPDACTUW} per page or 4 MiB page, which is what the exact comparison uses.</li>
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
        return format.equals("i386") ? i386Tlb(answer) : riscvMem(answer);
    }

    /** Deed's mappings merged as QEMU's {@code info mem} prints them for {@code format}. */
    public static List<String> merged(String format, List<Mapping> mappings) {
        boolean i386 = format.equals("i386");
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
        return answer.lines().map(String::strip).filter(l -> format.equals("i386")
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

    /** i386 {@code info tlb}: "va: pa XGPDACTUW"; a P marks a 4 MiB page; pages are always readable and executable. */
    private static Map<Long, String> i386Tlb(String answer) {
        Map<Long, String> pages = new TreeMap<>(Long::compareUnsigned);
        for (String line : answer.lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 3 && f[0].endsWith(":") && f[2].length() == 9) {
                String bits = f[2];
                String letters = "rw".substring(0, bits.charAt(8) == 'W' ? 2 : 1) + "x"
                        + (bits.charAt(7) == 'U' ? "u" : "") + (bits.charAt(1) == 'G' ? "g" : "")
                        + (bits.charAt(4) == 'A' ? "a" : "") + (bits.charAt(3) == 'D' ? "d" : "");
                long size = bits.charAt(2) == 'P' ? 4L << 20 : 4096;
                add(pages, hex(f[0].substring(0, f[0].length() - 1)), hex(f[1]), size, letters);
            }
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
