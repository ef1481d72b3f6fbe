package dev.flick.hub.edge;

import java.io.IOException;

/** A request body went past its limit while it was being read (a chunked body has no length to check first). */
public final class BodyTooLarge extends IOException {

    private final long limit;

    BodyTooLarge(long limit) {
        super("The request body is larger than " + limit + " bytes", null);
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    /** The detail a 413 problem carries. */
    public static String detail(long limit) {
        return "The request body is larger than this endpoint accepts (" + human(limit) + ")";
    }

    private static String human(long bytes) {
        if (bytes % (1024 * 1024) == 0) return bytes / (1024 * 1024) + " MiB";
        if (bytes % 1024 == 0) return bytes / 1024 + " KiB";
        return bytes + " bytes";
    }
}
