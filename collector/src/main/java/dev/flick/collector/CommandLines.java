package dev.flick.collector;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Takes secrets out of process command lines before they are stored, shown or sent (process tables, alert evidence,
 * email, webhooks). Every collector's commands pass through here: {@link ProcessDetails#display} redacts before it
 * cuts, and {@link Snapshot.Processes.Process} redacts again on construction, so a snapshot from any source (an older
 * agent, a stored row) carries none.
 *
 * <p>Redacted, each value replaced by {@value #MASK}: {@code --password=v}, {@code --password v} (also
 * {@code --token}, {@code --secret}, {@code --api-key}, {@code --pass} and names like {@code --db-password},
 * {@code --authToken}, {@code --access-key}); {@code -pv} (MySQL style, except well-known words such as
 * {@code -print} or {@code -pthread}); {@code PASSWORD=v}, {@code TOKEN=v}, {@code *_KEY=v}, {@code *_SECRET=v};
 * {@code ?token=v} in URLs; the password of {@code scheme://user:password@host}; {@code Bearer v}; FLick agent
 * tokens ({@code flk_…}). Names ending in file, path, dir, fd or stdin say where a secret is, not what it is, and
 * stay. Redacting twice changes nothing.
 */
public final class CommandLines {

    public static final String MASK = "***";

    /** Single-dash words that start with p and are not MySQL-style passwords (find, gcc, ffmpeg). */
    private static final Set<String> P_WORDS = Set.of("-print", "-print0", "-printf", "-prune", "-perm",
            "-path", "-pthread", "-pipe", "-pedantic", "-pie", "-pg", "-pid", "-pidfile", "-preset", "-pix_fmt", "-profile");

    private static final Set<String> SECRET_WORDS = Set.of("password", "passwd", "pwd", "pw", "pass",
            "passphrase", "secret", "token", "apikey");

    private static final Set<String> POINTER_WORDS = Set.of("file", "path", "dir", "fd", "stdin", "env");

    private CommandLines() {}

    /** The command line with every recognised secret value replaced by {@value #MASK}; null stays null. */
    public static String redact(String line) {
        if (line == null || line.isEmpty()) return line;
        // The same command lines come by every second (and again from every stored block read): remember the answers.
        String known = REDACTED.get(line);
        if (known != null) return known;
        String redacted = scan(line);
        if (REDACTED.size() >= REMEMBERED) REDACTED.clear();
        REDACTED.put(line, redacted);
        return redacted;
    }

    private static final int REMEMBERED = 4_096;
    private static final java.util.concurrent.ConcurrentHashMap<String, String> REDACTED = new java.util.concurrent.ConcurrentHashMap<>();

    private static String scan(String line) {
        StringBuilder out = new StringBuilder(line.length());
        boolean maskNext = false;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                out.append(c);
                i++;
                continue;
            }
            int end = i;
            while (end < n && !Character.isWhitespace(line.charAt(end))) end++;
            String token = line.substring(i, end);
            i = end;
            if (maskNext && !token.startsWith("--")) {
                out.append(MASK);
                maskNext = false;
                continue;
            }
            maskNext = false;
            if (token.equalsIgnoreCase("bearer")) {
                out.append(token);
                maskNext = true;
                continue;
            }
            if (token.length() > 1 && token.charAt(0) == '-' && token.indexOf('=') < 0) {
                String name = token.charAt(1) == '-' ? token.substring(2) : token.substring(1);
                if (isSecretName(name)) {
                    out.append(token);
                    maskNext = true;
                    continue;
                }
                if (token.charAt(1) == 'p' && token.length() > 2 && !P_WORDS.contains(token)) {
                    out.append("-p").append(MASK);
                    continue;
                }
            }
            out.append(inToken(token));
        }
        String result = out.toString();
        return result.equals(line) ? line : result;
    }

    /** Secrets inside one argument: name=value pairs, URL passwords and agent tokens. */
    private static String inToken(String token) {
        int eq = token.indexOf('=');
        if (eq > 0) {
            int nameStart = 0;
            while (nameStart < eq && token.charAt(nameStart) == '-') nameStart++;
            String name = token.substring(nameStart, eq);
            if (isIdentifier(name) && isSecretName(name)) return token.substring(0, eq + 1) + MASK;
        }
        return agentTokens(urlPasswords(queryPairs(token)));
    }

    /** {@code ?token=v&…} and {@code ;password=v}: each secret value up to the next &amp; or ;. */
    private static String queryPairs(String t) {
        StringBuilder out = null;
        int from = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c != '?' && c != '&' && c != ';') continue;
            int eq = t.indexOf('=', i + 1);
            if (eq < 0) break;
            String name = t.substring(i + 1, eq);
            if (!isIdentifier(name) || !isSecretName(name)) continue;
            int end = eq + 1;
            while (end < t.length() && t.charAt(end) != '&' && t.charAt(end) != ';') end++;
            if (out == null) out = new StringBuilder(t.length());
            out.append(t, from, eq + 1).append(MASK);
            from = end;
            i = end - 1;
        }
        if (out == null) return t;
        return out.append(t, from, t.length()).toString();
    }

    /** scheme://user:password@host → scheme://user:***@host. */
    private static String urlPasswords(String t) {
        int scheme = t.indexOf("://");
        if (scheme < 0) return t;
        StringBuilder out = new StringBuilder(t.length());
        int from = 0;
        while (scheme >= 0) {
            int start = scheme + 3;
            int end = start;
            while (end < t.length() && "/?#".indexOf(t.charAt(end)) < 0 && !t.startsWith("://", end)) end++;
            int at = t.lastIndexOf('@', end - 1);
            int colon = at >= start ? t.indexOf(':', start) : -1;
            if (at >= start && colon >= 0 && colon < at) {
                out.append(t, from, colon + 1).append(MASK);
                from = at;
            }
            scheme = t.indexOf("://", Math.max(end, start));
        }
        return out.append(t, from, t.length()).toString();
    }

    /** FLick agent tokens anywhere: flk_ then URL-safe base64. */
    private static String agentTokens(String t) {
        int at = t.indexOf("flk_");
        if (at < 0) return t;
        StringBuilder out = new StringBuilder(t.length());
        int from = 0;
        while (at >= 0) {
            int end = at + 4;
            while (end < t.length() && isTokenChar(t.charAt(end))) end++;
            boolean standalone = at == 0 || !Character.isLetterOrDigit(t.charAt(at - 1));
            if (standalone && end > at + 4) {
                out.append(t, from, at + 4).append(MASK);
                from = end;
            }
            at = t.indexOf("flk_", end);
        }
        return out.append(t, from, t.length()).toString();
    }

    /**
     * Whether a flag or variable name names a secret: one of its words (split at -, _, . and lower-to-upper case)
     * is password, token, secret…, or it ends in key after another word (API_KEY, --access-key), and it does not
     * end in a word that points elsewhere (--password-file).
     */
    static boolean isSecretName(String name) {
        if (name.isEmpty() || name.length() > 64) return false;
        List<String> words = words(name);
        if (words.isEmpty()) return false;
        String last = words.getLast();
        if (POINTER_WORDS.contains(last)) return false;
        if (last.equals("key") && words.size() >= 2) return true;
        for (String w : words) if (SECRET_WORDS.contains(w)) return true;
        return false;
    }

    private static List<String> words(String name) {
        List<String> words = new ArrayList<>(4);
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean split = c == '-' || c == '_' || c == '.';
            boolean camel = i > 0 && Character.isUpperCase(c) && Character.isLowerCase(name.charAt(i - 1));
            if ((split || camel) && !w.isEmpty()) {
                words.add(w.toString());
                w.setLength(0);
            }
            if (!split) w.append(Character.toLowerCase(c));
        }
        if (!w.isEmpty()) words.add(w.toString());
        return words;
    }

    private static boolean isIdentifier(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) return false;
        }
        return true;
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }
}
