package dev.flick.agent;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the few fields of the hub's replies ({@code type}, {@code serverId}, {@code ts}, {@code message}, the objects
 * of {@code refused}) without a JSON library: the hub writes them itself, compactly, and the agent must stay small.
 * Keys are looked up among the object's own (top-level) members only, so the {@code ts} of an ack is never taken from
 * an item of its {@code refused} list.
 */
final class Messages {

    private Messages() {}

    /** The string value of a top-level {@code "key":"…"}, unescaped, or "" when absent. */
    static String string(String json, String key) {
        int at = valueAt(json, key);
        if (at < 0 || at >= json.length() || json.charAt(at) != '"') return "";
        StringBuilder out = new StringBuilder();
        for (int i = at + 1; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"') return out.toString();
            if (c == '\\' && i + 1 < json.length()) {
                char e = json.charAt(++i);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        if (i + 4 < json.length()) {
                            try {
                                out.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                            } catch (NumberFormatException bad) {
                                out.append('?');
                            }
                            i += 4;
                        }
                    }
                    default -> out.append(e);
                }
            } else {
                out.append(c);
            }
        }
        return "";
    }

    /** The integer value of a top-level {@code "key":123}, or -1 when absent. */
    static long number(String json, String key) {
        return number(json, key, -1);
    }

    /** The integer value of a top-level {@code "key":123}, or {@code absent} when there is none. */
    static long number(String json, String key, long absent) {
        int at = valueAt(json, key);
        if (at < 0) return absent;
        int i = at;
        if (i < json.length() && json.charAt(i) == '-') i++;
        while (i < json.length() && Character.isDigit(json.charAt(i))) i++;
        try {
            return Long.parseLong(json.substring(at, i));
        } catch (NumberFormatException e) {
            return absent;
        }
    }

    /** The objects of a top-level array {@code "key":[{…},{…}]}, each as its own JSON text; empty when absent. */
    static List<String> objects(String json, String key) {
        List<String> out = new ArrayList<>();
        int at = valueAt(json, key);
        if (at < 0 || at >= json.length() || json.charAt(at) != '[') return out;
        int depth = 0;
        int start = -1;
        for (int i = at + 1; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"') {
                i = skipString(json, i);
            } else if (c == '{' || c == '[') {
                if (depth++ == 0) start = i;
            } else if (c == '}' || c == ']') {
                if (depth == 0) break; // the array's own end
                if (--depth == 0 && c == '}') out.add(json.substring(start, i + 1));
            }
        }
        return out;
    }

    /** Where the value of the outermost object's member {@code key} starts, or −1. */
    private static int valueAt(String json, String key) {
        int depth = 0;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"') {
                int end = skipString(json, i);
                if (depth == 1 && end - i - 1 == key.length() && json.startsWith(key, i + 1)) {
                    int j = end + 1;
                    while (j < json.length() && json.charAt(j) == ' ') j++;
                    if (j < json.length() && json.charAt(j) == ':') {
                        j++;
                        while (j < json.length() && json.charAt(j) == ' ') j++;
                        return j;
                    }
                }
                i = end;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return -1;
    }

    /** The index of the quote that closes the string opening at {@code open}. */
    private static int skipString(String json, int open) {
        for (int i = open + 1; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '\\') i++;
            else if (c == '"') return i;
        }
        return json.length();
    }
}
