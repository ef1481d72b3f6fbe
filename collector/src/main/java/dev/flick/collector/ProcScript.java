package dev.flick.collector;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The POSIX sh programs the hub runs on an SSH target; nothing is installed there. Feed them to {@code sh -s} on the
 * channel's standard input rather than as arguments: that keeps the nonce out of {@code ps}, so no other user of the
 * target can print a line that passes for a marker.
 *
 * <p>One sampler block, every marker line ending in " NONCE":
 * <pre>
 * &#64;&#64;flick-sample NONCE
 * &#64;&#64;passwd NONCE        only in the first block and every 300th: getent passwd (or /etc/passwd)
 * &#64;&#64;proc NONCE          head -c 1048576 of /proc/uptime, loadavg, stat, meminfo, diskstats, net/dev
 * &#64;&#64;df NONCE            df -lPT -B1 (or df -PTk where that is unknown, as in busybox)
 * &#64;&#64;procs NONCE         cat /proc/[0-9]*&#47;stat
 * &#64;&#64;owners NONCE        ls -ln /proc (owner uid of each /proc/[pid])
 * &#64;&#64;cmdline NONCE       head -c 256 /dev/null /proc/[0-9]*&#47;cmdline, then one newline
 * &#64;&#64;end NONCE
 * </pre>
 * Five short-lived processes per block (head, df, cat, ls, head) plus sleep: about 1% of one core with a hundred
 * processes on the target.
 */
public final class ProcScript {

    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The one-shot host description {@link ProcHostInfo#parse} reads: head's "==> path <==" sections. */
    public static final String HOST_INFO = "LC_ALL=C; export LC_ALL\n"
            + "head -c 1048576 /proc/sys/kernel/hostname /proc/sys/kernel/osrelease /etc/os-release /usr/lib/os-release"
            + " /proc/cpuinfo /proc/meminfo /proc/uptime 2>/dev/null\n";

    private ProcScript() {}

    /** A fresh unguessable nonce for one SSH session. */
    public static String newNonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * The sampler: prints one block every {@code interval} until its output is closed (the next write then kills it).
     * The period is interval plus the block's own run time; rates use the target's uptime, so that drift is harmless.
     */
    public static String sampler(Duration interval, String nonce) {
        checkNonce(nonce);
        if (interval.toMillis() < 100) throw new IllegalArgumentException("interval below 100 ms: " + interval);
        String seconds = interval.toMillis() % 1000 == 0
                ? Long.toString(interval.toSeconds())
                : String.format(java.util.Locale.ROOT, "%.3f", interval.toMillis() / 1000.0);
        return """
                k=%s
                LC_ALL=C; export LC_ALL
                n=0
                d="-lPT -B1"
                df $d / >/dev/null 2>&1 || d=-PTk
                while :; do
                  echo "@@flick-sample $k"
                  if [ $((n %% 300)) -eq 0 ]; then
                    echo "@@passwd $k"
                    getent passwd 2>/dev/null || cat /etc/passwd
                  fi
                  n=$((n + 1))
                  echo "@@proc $k"
                  head -c 1048576 /proc/uptime /proc/loadavg /proc/stat /proc/meminfo /proc/diskstats /proc/net/dev 2>/dev/null
                  echo "@@df $k"
                  df $d 2>/dev/null
                  echo "@@procs $k"
                  cat /proc/[0-9]*/stat 2>/dev/null
                  echo "@@owners $k"
                  ls -ln /proc 2>/dev/null
                  echo "@@cmdline $k"
                  head -c 256 /dev/null /proc/[0-9]*/cmdline 2>/dev/null
                  echo
                  echo "@@end $k"
                  sleep %s
                done
                """.formatted(nonce, seconds);
    }

    static String checkNonce(String nonce) {
        if (nonce == null || !NONCE.matcher(nonce).matches()) {
            throw new IllegalArgumentException("nonce must be 1-64 characters of [A-Za-z0-9_-]");
        }
        return nonce;
    }
}
