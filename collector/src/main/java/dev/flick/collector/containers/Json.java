package dev.flick.collector.containers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON for the Engine API's answers: objects as maps, arrays as lists, strings, numbers as doubles
 * (or longs when integral and in range: the counters are nanoseconds and bytes), booleans, null. The agent carries
 * no JSON library (it must stay small); the engine's answers are small and trusted no further than their shape:
 * every accessor tolerates a missing or mistyped member.
 */
final class Json {

    private final String s;
    private int i;
    private int depth;

    private Json(String s) {
        this.s = s;
    }

    static Object parse(String text) {
        Json p = new Json(text);
        p.skip();
        Object v = p.value();
        p.skip();
        if (p.i != text.length()) throw new IllegalArgumentException("trailing content at " + p.i);
        return v;
    }

    // ------------------------------------------------------------------------------------------- tolerant accessors

    static Object at(Object node, String... path) {
        Object n = node;
        for (String key : path) n = n instanceof Map<?, ?> m ? m.get(key) : null;
        return n;
    }

    static String text(Object node, String... path) {
        return at(node, path) instanceof String v ? v : null;
    }

    static long number(Object node, String... path) {
        Object v = at(node, path);
        if (v instanceof Long l) return l;
        if (v instanceof Double d) return d.longValue();
        return 0;
    }

    static boolean has(Object node, String... path) {
        return at(node, path) != null;
    }

    static List<?> list(Object node, String... path) {
        return at(node, path) instanceof List<?> l ? l : List.of();
    }

    static Map<?, ?> object(Object node, String... path) {
        return at(node, path) instanceof Map<?, ?> m ? m : Map.of();
    }

    // ------------------------------------------------------------------------------------------------------ parsing

    private Object value() {
        char c = peek();
        switch (c) {
            case '{' -> {
                return object();
            }
            case '[' -> {
                return array();
            }
            case '"' -> {
                return string();
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
                return number();
            }
        }
    }

    private Map<String, Object> object() {
        if (++depth > 64) throw new IllegalArgumentException("nested too deep");
        Map<String, Object> out = new HashMap<>();
        i++;
        skip();
        if (peek() == '}') {
            i++;
            depth--;
            return out;
        }
        while (true) {
            skip();
            String key = string();
            skip();
            expect(':');
            skip();
            out.put(key, value());
            skip();
            char c = next();
            if (c == '}') {
                depth--;
                return out;
            }
            if (c != ',') throw new IllegalArgumentException("expected , or } at " + (i - 1));
        }
    }

    private List<Object> array() {
        if (++depth > 64) throw new IllegalArgumentException("nested too deep");
        List<Object> out = new ArrayList<>();
        i++;
        skip();
        if (peek() == ']') {
            i++;
            depth--;
            return out;
        }
        while (true) {
            skip();
            out.add(value());
            skip();
            char c = next();
            if (c == ']') {
                depth--;
                return out;
            }
            if (c != ',') throw new IllegalArgumentException("expected , or ] at " + (i - 1));
        }
    }

    private Object number() {
        int start = i;
        boolean integral = true;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '.' || c == 'e' || c == 'E') integral = false;
            else if (c != '-' && c != '+' && (c < '0' || c > '9')) break;
            i++;
        }
        if (start == i) throw new IllegalArgumentException("unexpected " + s.charAt(i) + " at " + i);
        String text = s.substring(start, i);
        if (integral && text.length() < 19) return Long.parseLong(text);
        return Double.parseDouble(text);
    }

    private String string() {
        expect('"');
        StringBuilder b = null;
        int start = i;
        while (true) {
            char c = next();
            if (c == '"') return b == null ? s.substring(start, i - 1) : b.toString();
            if (c != '\\') {
                if (b != null) b.append(c);
                continue;
            }
            if (b == null) b = new StringBuilder().append(s, start, i - 1);
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (i + 4 > s.length()) throw new IllegalArgumentException("bad escape");
                    b.append((char) Integer.parseInt(s, i, i + 4, 16));
                    i += 4;
                }
                default -> throw new IllegalArgumentException("bad escape \\" + e);
            }
        }
    }

    private void word(String w) {
        if (!s.startsWith(w, i)) throw new IllegalArgumentException("unexpected token at " + i);
        i += w.length();
    }

    private void skip() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    private char peek() {
        if (i >= s.length()) throw new IllegalArgumentException("unexpected end");
        return s.charAt(i);
    }

    private char next() {
        char c = peek();
        i++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) throw new IllegalArgumentException("expected " + c + " at " + (i - 1));
    }
}
