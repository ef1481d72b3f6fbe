package dev.flick.agent;

/**
 * Reads the few flat fields of the hub's replies ({@code type}, {@code serverId}, {@code ts}, {@code message})
 * without a JSON library: the hub writes them itself, compactly, and the agent must stay small.
 */
final class Messages {

    private Messages() {}

    /** The string value of a top-level {@code "key":"…"}, unescaped, or "" when absent. */
    static String string(String json, String key) {
        int at = json.indexOf("\"" + key + "\":\"");
        if (at < 0) return "";
        StringBuilder out = new StringBuilder();
        for (int i = at + key.length() + 4; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"') return out.toString();
            if (c == '\\' && i + 1 < json.length()) {
                char e = json.charAt(++i);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'u' -> {
                        if (i + 4 < json.length()) {
                            out.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
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
        int at = json.indexOf("\"" + key + "\":");
        if (at < 0) return -1;
        int i = at + key.length() + 3;
        int start = i;
        while (i < json.length() && (Character.isDigit(json.charAt(i)) || (i == start && json.charAt(i) == '-'))) i++;
        try {
            return Long.parseLong(json.substring(start, i));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
