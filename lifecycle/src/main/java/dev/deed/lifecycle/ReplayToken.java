package dev.deed.lifecycle;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A choice sequence in a form that fits on a command line:
 * {@code <property>:<s|p><base64url of unsigned LEB128 varints>}, where {@code s} means the sequence
 * starts with swarm weights and {@code p} that it does not.
 */
public record ReplayToken(String property, boolean swarm, long[] choices) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    public ReplayToken {
        requireValidName(property);
        choices = choices.clone();
        for (int i = 0; i < choices.length; i++) {
            if (choices[i] < 0) {
                throw new IllegalArgumentException("choice " + i + " is " + choices[i] + "; choices are >= 0");
            }
        }
    }

    /** Property names must survive a command line: letters, digits, '.', '_' and '-'. */
    public static void requireValidName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("property name '" + name + "' may use only letters, digits, '.', '_' and '-'");
        }
    }

    @Override
    public long[] choices() {
        return choices.clone();
    }

    public String encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(choices.length * 2);
        for (long value : choices) {
            long v = value;
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
        return property + ":" + (swarm ? 's' : 'p')
                + Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    }

    public static ReplayToken parse(String token) {
        int colon = token.lastIndexOf(':');
        if (colon <= 0 || colon == token.length() - 1) {
            throw new IllegalArgumentException("replay token '" + token + "' is not of the form <property>:<s|p><choices>");
        }
        String property = token.substring(0, colon);
        char mode = token.charAt(colon + 1);
        if (mode != 's' && mode != 'p') {
            throw new IllegalArgumentException("replay token '" + token + "' has mode '" + mode + "'; expected 's' (swarm) or 'p' (plain)");
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token.substring(colon + 2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("replay token '" + token + "' has a choice part that is not base64url", e);
        }
        long[] values = new long[bytes.length];
        int count = 0;
        long value = 0;
        int shift = 0;
        for (byte b : bytes) {
            if (shift > 63) {
                throw new IllegalArgumentException("replay token '" + token + "' holds a choice longer than 64 bits");
            }
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                values[count++] = value;
                value = 0;
                shift = 0;
            } else {
                shift += 7;
            }
        }
        if (shift != 0) {
            throw new IllegalArgumentException("replay token '" + token + "' ends in the middle of a choice");
        }
        return new ReplayToken(property, mode == 's', Arrays.copyOf(values, count));
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof ReplayToken t && t.property.equals(property) && t.swarm == swarm
                && Arrays.equals(t.choices, choices);
    }

    @Override
    public int hashCode() {
        return property.hashCode() * 31 + Arrays.hashCode(choices) + (swarm ? 1 : 0);
    }

    @Override
    public String toString() {
        return encode();
    }
}
