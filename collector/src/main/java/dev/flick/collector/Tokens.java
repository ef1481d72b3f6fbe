package dev.flick.collector;

/** Whitespace-separated fields of one line, read in place: numbers are parsed without making strings. */
final class Tokens {

    private final String text;
    private final int end;
    private int pos;

    Tokens(String text, int from, int to) {
        this.text = text;
        this.pos = from;
        this.end = to;
    }

    static Tokens of(String line) {
        return new Tokens(line, 0, line.length());
    }

    boolean hasNext() {
        skipSpace();
        return pos < end;
    }

    String next() {
        skipSpace();
        int start = pos;
        while (pos < end && !isSpace(text.charAt(pos))) pos++;
        if (start == pos) throw new MalformedSampleException("missing field in: " + excerpt());
        return text.substring(start, pos);
    }

    void skip(int fields) {
        for (int i = 0; i < fields; i++) {
            skipSpace();
            if (pos >= end) throw new MalformedSampleException("missing field in: " + excerpt());
            while (pos < end && !isSpace(text.charAt(pos))) pos++;
        }
    }

    long nextLong() {
        skipSpace();
        int start = pos;
        boolean negative = pos < end && text.charAt(pos) == '-';
        if (negative) pos++;
        long value = 0;
        int digits = 0;
        while (pos < end) {
            char c = text.charAt(pos);
            if (c < '0' || c > '9') break;
            value = value * 10 + (c - '0');
            digits++;
            pos++;
        }
        if (digits == 0 || (pos < end && !isSpace(text.charAt(pos)))) {
            pos = start;
            throw new MalformedSampleException("expected a number in: " + excerpt());
        }
        return negative ? -value : value;
    }

    /** The next field, or 0 when the line ends first (older kernels print fewer columns). */
    long nextLongOrZero() {
        return hasNext() ? nextLong() : 0;
    }

    double nextDouble() {
        String field = next();
        try {
            return Double.parseDouble(field);
        } catch (NumberFormatException e) {
            throw new MalformedSampleException("expected a number, got '" + field + "'", e);
        }
    }

    /** The rest of the line after the next whitespace, as is. */
    String rest() {
        skipSpace();
        return text.substring(pos, end);
    }

    private void skipSpace() {
        while (pos < end && isSpace(text.charAt(pos))) pos++;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private String excerpt() {
        String line = text.substring(Math.max(0, Math.min(pos, end) - 40), end);
        return line.length() > 120 ? line.substring(0, 120) + "…" : line;
    }
}
