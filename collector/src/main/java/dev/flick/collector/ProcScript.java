package dev.flick.collector;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The programs the hub runs on an SSH target; nothing is installed there. Feed them on the channel's standard input
 * ({@code bash -s} / {@code sh -s}) rather than as arguments: that keeps the nonce out of {@code ps}, so no other user
 * of the target can print a line that passes for a marker.
 *
 * <p>Two samplers print the same kind of block, every marker line ending in " NONCE":
 * <pre>
 * &#64;&#64;flick-sample NONCE
 * &#64;&#64;passwd NONCE        only in the first block and every 300th: getent passwd (or /etc/passwd)
 * &#64;&#64;proc NONCE          /proc/uptime, loadavg, stat, meminfo, diskstats, net/dev in head's "==&gt; path &lt;==" form
 * &#64;&#64;df NONCE            df -lPT -B1 (or df -PTk where that is unknown, as in busybox)
 * &#64;&#64;procs NONCE         /proc/[0-9]*&#47;stat, one after another
 * &#64;&#64;owners NONCE        {@link #sampler} only: ls -ln /proc (owner uid of each /proc/[pid])
 * &#64;&#64;cmdline NONCE       {@link #sampler} only: head -c 256 /dev/null /proc/[0-9]*&#47;cmdline, then one newline
 * &#64;&#64;details NONCE       {@link #bashSampler} only: "pid uid command" for processes not described before
 * &#64;&#64;end NONCE
 * </pre>
 * {@link #sampler} (POSIX sh) forks five programs a block plus sleep: about 10 ms of CPU a block with a hundred
 * processes. {@link #bashSampler} forks nothing per block: it reads /proc with bash builtins, prints df only every
 * 30th block (the parser keeps the last one) and a process's user and command line once, when it first appears.
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
        return sampler(interval, nonce, InventorySettings.DEFAULTS);
    }

    /**
     * As {@link #sampler(Duration, String)}, with the host inventory in the same sections as {@link #bashSampler}
     * ({@code @@io}, {@code @@sysfs}, and {@code @@nvidia}, {@code @@units}, {@code @@smart} on their schedules), read
     * with POSIX sh builtins (dash, busybox ash): one {@code read} per file, no brace expansion.
     */
    public static String sampler(Duration interval, String nonce, InventorySettings inventory) {
        return sampler(interval, nonce, inventory, "");
    }

    /** For tests: sysfs read under {@code sysRoot} (a fixture tree), paths still printed as the host's. */
    static String sampler(Duration interval, String nonce, InventorySettings inventory, String sysRoot) {
        checkNonce(nonce);
        if (!sysRoot.matches("[A-Za-z0-9/._-]*")) throw new IllegalArgumentException("sysRoot must be a plain path");
        long ms = Math.max(100, interval.toMillis());
        long gpu = inventory.enabled() ? Math.max(1, inventory.gpuEvery().toMillis() / ms) : 0;
        long units = inventory.enabled() ? Math.max(1, inventory.servicesEvery().toMillis() / ms) : 0;
        long smart = inventory.enabled() ? Math.max(1, inventory.smartEvery().toMillis() / ms) : 0;
        return """
                k=__NONCE__
                R=__ROOT__
                LC_ALL=C; export LC_ALL
                n=0
                d="-lPT -B1"
                df $d / >/dev/null 2>&1 || d=-PTk
                ns=$(command -v nvidia-smi) sc=$(command -v systemctl) sm=$(command -v smartctl)
                [ -d /run/systemd/system ] || sc=
                while :; do
                  echo "@@flick-sample $k"
                  if [ $((n % __REFRESH__)) -eq 0 ]; then
                    echo "@@passwd $k"
                    getent passwd 2>/dev/null || cat /etc/passwd
                  fi
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
                  if [ __INVENTORY__ -eq 1 ]; then
                    echo "@@io $k"
                    for p in /proc/[0-9]*; do
                      { read -r _ _; read -r _ _; read -r _ _; read -r _ _; read -r _ rb; read -r _ wb; } < $p/io && echo "${p#/proc/} $rb $wb"
                    done 2>/dev/null
                    echo "@@sysfs $k"
                    for f in __SYSFS__; do
                      read -r u < $f && echo "${f#$R} $u"
                    done 2>/dev/null
                    if [ $((n % __GPU__)) -eq 0 ] && [ -n "$ns" ]; then
                      echo "@@nvidia $k"
                      nvidia-smi --query-gpu=__NVQUERY__ --format=csv,noheader,nounits </dev/null 2>/dev/null
                    fi
                    if [ $((n % __UNITS__)) -eq 0 ] && [ -n "$sc" ]; then
                      echo "@@units $k"
                      { systemctl list-units --all --output=json --no-pager || systemctl list-units --all --plain --no-legend --no-pager; } </dev/null 2>/dev/null
                      echo
                    fi
                    if [ $((n % __SMART__)) -eq 0 ]; then
                      echo "@@smart $k"
                      if [ -z "$sm" ]; then
                        echo "#flick-smart $k none"
                      else
                        echo "#flick-smart $k scan"
                        smartctl --scan -j </dev/null 2>/dev/null
                        echo
                        smartctl --scan </dev/null 2>/dev/null | while read -r f _ u _; do
                          case $f in /dev/*) ;; *) continue ;; esac
                          case $u in ""|*[!A-Za-z0-9_,+-]*) continue ;; esac
                          echo "#flick-smart $k drive $f"
                          smartctl -a -j -n standby -d $u $f </dev/null 2>/dev/null
                          echo
                        done
                      fi
                    fi
                  fi
                  n=$((n + 1))
                  echo "@@end $k"
                  sleep __SECONDS__
                done
                """.replace("__NONCE__", nonce).replace("__SECONDS__", seconds(interval))
                .replace("__REFRESH__", Integer.toString(PASSWD_EVERY))
                .replace("__INVENTORY__", inventory.enabled() ? "1" : "0")
                .replace("__SYSFS__", inventory.enabled() ? SH_SYSFS_GLOBS : "").replace("__NVQUERY__", NvidiaSmi.QUERY)
                .replace("__GPU__", Long.toString(Math.max(1, gpu))).replace("__UNITS__", Long.toString(Math.max(1, units)))
                .replace("__SMART__", Long.toString(Math.max(1, smart))).replace("__ROOT__", sysRoot);
    }

    /** Each word's one {a,b,…} group expanded in place ("x/{a,b}" → "x/a x/b"), as bash does before globbing. */
    static String expandBraces(String words) {
        List<String> out = new ArrayList<>();
        for (String word : words.trim().split("\\s+")) {
            int open = word.indexOf('{'), close = word.indexOf('}');
            if (open < 0 || close < open) {
                out.add(word);
                continue;
            }
            for (String alt : word.substring(open + 1, close).split(",")) {
                out.add(word.substring(0, open) + alt + word.substring(close + 1));
            }
        }
        return String.join(" ", out);
    }

    /** The command that runs {@link #bashSampler} from standard input. */
    public static final String BASH = "bash -s";
    /** The command that runs {@link #sampler} and {@link #HOST_INFO} from standard input. */
    public static final String SH = "sh -s";

    /** df runs every this many blocks of {@link #bashSampler}; disk usage moves slowly and df is its one fork. */
    static final int DF_EVERY = 30;
    /** The passwd table is printed every this many blocks. */
    static final int PASSWD_EVERY = 300;
    /** Every process is described afresh every this many blocks: a setuid or a new title shows within a minute. */
    static final int DESCRIBE_EVERY = 60;

    /**
     * The bash (4.4 or later) sampler: no fork per block. Everything is read with builtins (mapfile, a glob over
     * /proc), the sleep is {@code read -t} on a pipe nobody writes, and the whole block leaves in one printf.
     * Standard input is closed before the loop, so each redirection costs 5 system calls instead of 13.
     *
     * <p>A pid that was absent from the previous block gets a details line "pid uid command": the effective uid from
     * /proc/[pid]/status and the command line's arguments joined by spaces, newlines blanked and cut to 256 bytes, so
     * a command line cannot break the line framing. Every {@value #DESCRIBE_EVERY} blocks all are described again
     * (the parser drops a description whose process changed name, as after an exec). Per process and block the loop
     * runs three builtins; each one more costs about 2.5 µs a process. Nothing a process controls is ever evaluated:
     * names and command lines are only copied. Exits 3 before its first block when bash is older than 4.4.
     */
    public static String bashSampler(Duration interval, String nonce) {
        return bashSampler(interval, nonce, InventorySettings.DEFAULTS);
    }

    /**
     * The sysfs files {@link SysfsInventory} reads, as globs for the bash sampler: a glob that matches nothing stays
     * literal and its read fails quietly.
     */
    static final String SYSFS_GLOBS = "$R/sys/class/hwmon/hwmon*/{name,temp*_input,temp*_label,temp*_max,temp*_crit,"
            + "fan*_input,fan*_label,fan*_max} $R/sys/class/thermal/thermal_zone*/{type,temp,trip_point_*_type,trip_point_*_temp}"
            + " $R/sys/class/drm/card[0-9]*/device/{vendor,gpu_busy_percent,mem_info_vram_used,mem_info_vram_total}"
            + " $R/sys/class/drm/card[0-9]*/device/hwmon/hwmon*/{temp1_input,power1_average,power1_input}";

    /** {@link #SYSFS_GLOBS} without brace expansion, for POSIX sh: the same files in the same order. */
    static final String SH_SYSFS_GLOBS = expandBraces(SYSFS_GLOBS);


    /**
     * With the host inventory (docs/snapshot.md): every block {@code @@io} ("pid read_bytes write_bytes" for each
     * process it may read) and {@code @@sysfs} ("path value" of the hwmon, thermal and DRM files, read with builtins);
     * on their slower schedules {@code @@nvidia} (nvidia-smi CSV), {@code @@units} (systemctl JSON or plain) and
     * {@code @@smart} (smartctl JSON per device, framed by "#flick-smart NONCE scan|drive DEV|none" lines). The three
     * programs fork only on those schedules and only where installed.
     */
    public static String bashSampler(Duration interval, String nonce, InventorySettings inventory) {
        return bashSampler(interval, nonce, inventory, "");
    }

    /** For tests: sysfs read under {@code sysRoot} (a fixture tree), paths still printed as the host's. */
    static String bashSampler(Duration interval, String nonce, InventorySettings inventory, String sysRoot) {
        checkNonce(nonce);
        if (!sysRoot.matches("[A-Za-z0-9/._-]*")) throw new IllegalArgumentException("sysRoot must be a plain path");
        long ms = Math.max(100, interval.toMillis());
        long gpu = inventory.enabled() ? Math.max(1, inventory.gpuEvery().toMillis() / ms) : 0;
        long units = inventory.enabled() ? Math.max(1, inventory.servicesEvery().toMillis() / ms) : 0;
        long smart = inventory.enabled() ? Math.max(1, inventory.smartEvery().toMillis() / ms) : 0;
        return """
                k=__NONCE__
                R=__ROOT__
                LC_ALL=C; export LC_ALL
                nl="
                "
                (( BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] >= 404 )) || { echo "bash $BASH_VERSION is older than 4.4" >&2; exit 3; }
                d="-lPT -B1"
                df $d / </dev/null >/dev/null 2>&1 || d=-PTk
                exec {sl}<> <(:)
                declare -A seen
                ns=$(command -v nvidia-smi) sc=$(command -v systemctl) sm=$(command -v smartctl)
                [[ -d /run/systemd/system ]] || sc=
                sample() {
                  local n=0 m o w p s u c f r
                  while :; do
                    o=("@@flick-sample $k")
                    (( n % __DESCRIBE__ == 0 )) && seen=()
                    if (( n % __REFRESH__ == 0 )); then
                      o+=("@@passwd $k")
                      IFS=$nl; printf "%s\n" "${o[*]}" || exit 0; unset IFS
                      o=()
                      { getent passwd || cat /etc/passwd; } </dev/null 2>/dev/null
                    fi
                    o+=("@@proc $k")
                    for f in /proc/uptime /proc/loadavg /proc/stat /proc/meminfo /proc/diskstats /proc/net/dev; do
                      o+=("==> $f <==")
                      mapfile -t -O ${#o[@]} o < $f
                      o+=("")
                    done 2>/dev/null
                    if (( n % __DF__ == 0 )); then
                      o+=("@@df $k")
                      IFS=$nl; printf "%s\n" "${o[*]}" || exit 0; unset IFS
                      o=()
                      df $d </dev/null 2>/dev/null
                    fi
                    o+=("@@procs $k")
                    w=()
                    m=$((n - 1))
                    r=()
                    for p in /proc/[0-9]*; do
                      mapfile -t -O ${#o[@]} o < $p/stat || continue
                      r+=($p)
                      [[ ${seen[$p]} == $m ]] || w+=($p)
                      seen[$p]=$n
                    done 2>/dev/null
                    o+=("@@io $k")
                    for p in "${r[@]}"; do
                      mapfile -t s < $p/io || continue
                      o+=("${p:6} ${s[4]#* } ${s[5]#* }")
                    done 2>/dev/null
                    o+=("@@sysfs $k")
                    for f in __SYSFS__; do
                      read -r u < $f && o+=("${f#$R} $u")
                    done 2>/dev/null
                    if (( __GPU__ > 0 && n % __GPU__ == 0 )) && [[ -n $ns ]]; then
                      o+=("@@nvidia $k")
                      IFS=$nl; printf "%s\n" "${o[*]}" || exit 0; unset IFS
                      o=()
                      nvidia-smi --query-gpu=__NVQUERY__ --format=csv,noheader,nounits </dev/null 2>/dev/null
                    fi
                    if (( __UNITS__ > 0 && n % __UNITS__ == 0 )) && [[ -n $sc ]]; then
                      o+=("@@units $k")
                      IFS=$nl; printf "%s\n" "${o[*]}" || exit 0; unset IFS
                      o=()
                      { systemctl list-units --all --output=json --no-pager || systemctl list-units --all --plain --no-legend --no-pager; } </dev/null 2>/dev/null
                      echo
                    fi
                    if (( __SMART__ > 0 && n % __SMART__ == 0 )); then
                      o+=("@@smart $k")
                      IFS=$nl; printf "%s\n" "${o[*]}" || exit 0; unset IFS
                      o=()
                      if [[ -z $sm ]]; then
                        echo "#flick-smart $k none"
                      else
                        echo "#flick-smart $k scan"
                        smartctl --scan -j </dev/null 2>/dev/null
                        echo
                        while read -r f _ u _; do
                          [[ $f == /dev/* && $u =~ ^[A-Za-z0-9_,+-]+$ ]] || continue
                          echo "#flick-smart $k drive $f"
                          smartctl -a -j -n standby -d $u $f </dev/null 2>/dev/null
                          echo
                        done < <(smartctl --scan </dev/null 2>/dev/null)
                      fi
                    fi
                    o+=("@@details $k")
                    for p in "${w[@]}"; do
                      mapfile -t s < $p/status || continue
                      for u in "${s[@]}"; do [[ $u == Uid:* ]] && break; done
                      u=($u)
                      mapfile -d "" -t c < $p/cmdline || continue
                      c="${c[*]}"
                      c=${c:0:256}
                      o+=("${p:6} ${u[2]} ${c//$nl/ }")
                    done 2>/dev/null
                    o+=("@@end $k")
                    IFS=$nl; printf "%s\n" "${o[*]}" || exit 0; unset IFS
                    n=$((n + 1))
                    read -t __SECONDS__ -u $sl
                  done
                }
                exec 0<&-; sample
                """.replace("__NONCE__", nonce).replace("__SECONDS__", seconds(interval))
                .replace("__REFRESH__", Integer.toString(PASSWD_EVERY))
                .replace("__DESCRIBE__", Integer.toString(DESCRIBE_EVERY)).replace("__DF__", Integer.toString(DF_EVERY))
                .replace("__SYSFS__", inventory.enabled() ? SYSFS_GLOBS : "").replace("__NVQUERY__", NvidiaSmi.QUERY)
                .replace("__GPU__", Long.toString(gpu)).replace("__UNITS__", Long.toString(units))
                .replace("__SMART__", Long.toString(smart)).replace("__ROOT__", sysRoot);
    }

    private static String seconds(Duration interval) {
        if (interval.toMillis() < 100) throw new IllegalArgumentException("interval below 100 ms: " + interval);
        return interval.toMillis() % 1000 == 0
                ? Long.toString(interval.toSeconds())
                : String.format(java.util.Locale.ROOT, "%.3f", interval.toMillis() / 1000.0);
    }

    static String checkNonce(String nonce) {
        if (nonce == null || !NONCE.matcher(nonce).matches()) {
            throw new IllegalArgumentException("nonce must be 1-64 characters of [A-Za-z0-9_-]");
        }
        return nonce;
    }
}
