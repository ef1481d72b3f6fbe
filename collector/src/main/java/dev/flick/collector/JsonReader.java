package dev.flick.collector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader for the few documents the collector reads (smartctl -j, systemctl --output=json): objects as
 * maps, arrays as lists, numbers as doubles. The agent must stay light (no Jackson), and these documents are small
 * and come from programs on the host, so depth and size are bounded and anything odd throws
 * {@link MalformedSampleException}.
 */
final class JsonReader {

    private static final int MAX_DEPTH = 64;
    private static final int MAX_CHARS = 4 << 20;

    private final String text;
    private int pos;

    private JsonReader(String text) {
        this.text = text;
    }

    static Object parse(String text) {
        if (text == null || text.length() > MAX_CHARS) throw new MalformedSampleException("JSON document missing or too large");
        JsonReader r = new JsonReader(text);
        Object value = r.value(0);
        r.space();
        if (r.pos != text.length()) throw new MalformedSampleException("JSON has trailing content at " + r.pos);
        return value;
    }

    /** The object at a path of keys, or null. */
    @SuppressWarnings("unchecked")
    static Object at(Object root, String... keys) {
        Object o = root;
        for (String k : keys) {
            if (!(o instanceof Map)) return null;
            o = ((Map<String, Object>) o).get(k);
        }
        return o;
    }

    static double number(Object root, String... keys) {
        return at(root, keys) instanceof Double d ? d : Double.NaN;
    }

    static long whole(Object root, String... keys) {
        return at(root, keys) instanceof Double d && d >= 0 ? d.longValue() : -1;
    }

    static String string(Object root, String... keys) {
        return at(root, keys) instanceof String s ? s : null;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object root, String... keys) {
        return at(root, keys) instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) throw fail("nesting too deep");
        space();
        if (pos >= text.length()) throw fail("ends early");
        char c = text.charAt(pos);
        switch (c) {
            case '{' -> {
                pos++;
                Map<String, Object> map = new HashMap<>();
                space();
                if (peek('}')) return map;
                do {
                    space();
                    String key = str();
                    space();
                    expect(':');
                    map.put(key, value(depth + 1));
                    space();
                } while (take(','));
                expect('}');
                return map;
            }
            case '[' -> {
                pos++;
                List<Object> list = new ArrayList<>();
                space();
                if (peek(']')) return list;
                do {
                    list.add(value(depth + 1));
                    space();
                } while (take(','));
                expect(']');
                return list;
            }
            case '"' -> {
                return str();
            }
            case 't' -> {
                word("true");
                return Boolean.TRUE;
            }
            case 'f' -> {
                word("false");
                return Boolean.FALSE;
            }
            case 'n' -> {
                word("null");
                return null;
            }
            default -> {
                int start = pos;
                while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) pos++;
                if (start == pos) throw fail("unexpected '" + c + "'");
                try {
                    return Double.parseDouble(text.substring(start, pos));
                } catch (NumberFormatException e) {
                    throw fail("bad number");
                }
            }
        }
    }

    private String str() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) throw fail("string ends early");
            char c = text.charAt(pos++);
            if (c == '"') return out.toString();
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) throw fail("string ends early");
            char e = text.charAt(pos++);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    if (pos + 4 > text.length()) throw fail("bad escape");
                    try {
                        out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException x) {
                        throw fail("bad escape");
                    }
                    pos += 4;
                }
                default -> out.append(e);
            }
        }
    }

    private void space() {
        while (pos < text.length() && text.charAt(pos) <= ' ') pos++;
    }

    private boolean peek(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean take(char c) {
        return peek(c);
    }

    private void expect(char c) {
        if (!peek(c)) throw fail("expected '" + c + "'");
    }

    private void word(String w) {
        if (!text.startsWith(w, pos)) throw fail("expected " + w);
        pos += w.length();
    }

    private MalformedSampleException fail(String why) {
        return new MalformedSampleException("JSON " + why + " at " + pos);
    }
}
