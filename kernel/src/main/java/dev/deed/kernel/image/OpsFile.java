package dev.deed.kernel.image;

import dev.deed.paging.PageProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses an ops file: one operation per line, hex numbers with {@code 0x}, {@code #} starts a
 * comment, FLAGS from {@code r w x u g}.
 */
final class OpsFile {
    private OpsFile() {
    }

    static List<Op> parse(String name, List<String> lines) throws OpsFileException {
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int line = i + 1;
            String text = lines.get(i);
            int hash = text.indexOf('#');
            String[] words = (hash >= 0 ? text.substring(0, hash) : text).strip().split("\\s+");
            if (words.length == 1 && words[0].isEmpty()) {
                continue;
            }
            Parser p = new Parser(name, line, words);
            ops.add(switch (words[0]) {
                case "map" -> {
                    p.arity(3, "map VA SIZE FLAGS");
                    yield new Op.Map(line, p.hex(1, "VA"), p.hex(2, "SIZE"), p.flags(3));
                }
                case "map-untracked" -> {
                    p.arity(4, "map-untracked VA PA SIZE FLAGS");
                    yield new Op.MapUntracked(line, p.hex(1, "VA"), p.hex(2, "PA"), p.hex(3, "SIZE"), p.flags(4));
                }
                case "unmap" -> {
                    p.arity(2, "unmap VA SIZE");
                    yield new Op.Unmap(line, p.hex(1, "VA"), p.hex(2, "SIZE"));
                }
                case "protect" -> {
                    p.arity(3, "protect VA SIZE FLAGS");
                    yield new Op.Protect(line, p.hex(1, "VA"), p.hex(2, "SIZE"), p.flags(3));
                }
                default -> throw new OpsFileException(name, line, "unknown operation '" + words[0]
                        + "'; expected map, map-untracked, unmap or protect");
            });
        }
        return ops;
    }

    private record Parser(String file, int line, String[] words) {
        void arity(int args, String usage) throws OpsFileException {
            if (words.length != args + 1) {
                throw new OpsFileException(file, line, "'" + words[0] + "' takes " + args + " arguments (" + usage + "), got "
                        + (words.length - 1));
            }
        }

        long hex(int index, String what) throws OpsFileException {
            String w = words[index].toLowerCase(Locale.ROOT).replace("_", "");
            if (!w.startsWith("0x") || w.length() == 2) {
                throw new OpsFileException(file, line, what + " '" + words[index] + "' must be a hex number written with 0x");
            }
            try {
                return Long.parseUnsignedLong(w.substring(2), 16);
            } catch (NumberFormatException e) {
                throw new OpsFileException(file, line, what + " '" + words[index] + "' is not a 64-bit hex number");
            }
        }

        PageProperty flags(int index) throws OpsFileException {
            String f = words[index];
            for (char c : f.toCharArray()) {
                if ("rwxug".indexOf(c) < 0) {
                    throw new OpsFileException(file, line, "FLAGS '" + f + "': '" + c + "' is not one of r w x u g");
                }
            }
            try {
                return PageProperty.parse(f);
            } catch (IllegalArgumentException e) {
                throw new OpsFileException(file, line, String.valueOf(e.getMessage()));
            }
        }
    }
}
