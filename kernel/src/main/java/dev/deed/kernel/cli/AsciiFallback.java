package dev.deed.kernel.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.util.Map;

/**
 * Output for a terminal whose locale cannot show Deed's few non-ASCII characters (box drawing,
 * arrows, ellipses…): each is written as its ASCII look-alike instead of a {@code ?}. Any other
 * character the charset cannot encode is left to it.
 */
final class AsciiFallback extends FilterWriter {
    private static final Map<Character, String> ASCII = Map.ofEntries(
            Map.entry('─', "-"), Map.entry('│', "|"), Map.entry('→', "->"), Map.entry('←', "<-"), Map.entry('…', "..."),
            Map.entry('—', "-"), Map.entry('–', "-"), Map.entry('×', "x"), Map.entry('≤', "<="), Map.entry('≥', ">="),
            Map.entry('✗', "x"), Map.entry('✓', "v"), Map.entry('‘', "'"), Map.entry('’', "'"), Map.entry('“', "\""),
            Map.entry('”', "\""), Map.entry('µ', "u"));

    private AsciiFallback(Writer out) {
        super(out);
    }

    /** {@code out} itself if {@code charset} can show every character Deed prints, else a transliterating wrapper. */
    static Writer wrap(Writer out, Charset charset) {
        CharsetEncoder encoder = charset.newEncoder();
        for (char c : ASCII.keySet()) {
            if (!encoder.canEncode(c)) {
                return new AsciiFallback(out);
            }
        }
        return out;
    }

    @Override
    public void write(int c) throws IOException {
        String ascii = ASCII.get((char) c);
        if (ascii == null) {
            out.write(c);
        } else {
            out.write(ascii);
        }
    }

    @Override
    public void write(char[] buffer, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            write(buffer[i]);
        }
    }

    @Override
    public void write(String text, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            write(text.charAt(i));
        }
    }
}
