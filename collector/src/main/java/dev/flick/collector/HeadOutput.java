package dev.flick.collector;

import java.util.ArrayList;
import java.util.List;

/**
 * The output of {@code head} given several files: POSIX puts "==> path <==" before each, and a blank line between them.
 * One {@code head} reads many files for the price of one process on the target.
 */
final class HeadOutput {

    record File(String path, String content) {}

    private HeadOutput() {}

    static List<File> split(String text, int from, int to) {
        List<File> files = new ArrayList<>();
        String path = null;
        int contentStart = from;
        for (int start = from, end; start < to; start = end + 1) {
            end = Math.min(ProcFiles.lineEnd(text, start), to);
            if (isHeader(text, start, end)) {
                if (path != null) files.add(new File(path, content(text, contentStart, start)));
                path = text.substring(start + 4, end - 4);
                contentStart = end + 1;
            }
        }
        if (path != null) files.add(new File(path, content(text, Math.min(contentStart, to), to)));
        return files;
    }

    private static boolean isHeader(String text, int start, int end) {
        return end - start > 8 && text.startsWith("==> ", start) && text.startsWith(" <==", end - 4);
    }

    /** Drops the one newline head adds before the next header; a file's own trailing newline stays. */
    private static String content(String text, int start, int nextHeader) {
        int end = nextHeader > start && text.charAt(nextHeader - 1) == '\n' ? nextHeader - 1 : nextHeader;
        return end <= start ? "" : text.substring(start, end);
    }
}
