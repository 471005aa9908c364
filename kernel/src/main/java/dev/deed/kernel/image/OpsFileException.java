package dev.deed.kernel.image;

/** A line of an ops file that cannot be applied: {@code FILE:LINE: what is wrong}. Nothing was written. */
public final class OpsFileException extends Exception {
    private static final long serialVersionUID = 1L;

    public OpsFileException(String file, int line, String problem) {
        super(file + ":" + line + ": " + problem);
    }
}
