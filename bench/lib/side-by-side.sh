# Shared by bench/collection-cost.sh and bench/agent-cost.sh: measures the FLick process (FL_PID) and node_exporter
# (NE_PID) in the same windows after a warm-up, then prints the markdown report. Sourced, not run; expects WORK,
# JAVA, JVM_FLAGS, ROUNDS, WINDOW, WARMUP, NE_BIN, NE_PORT, FL_PID, NE_PID, the log/die helpers, and:
#   FL_NAME        how errors name the FLick process ("the FLick collector")
#   FL_DESCRIPTION the command line to log
#   REPORT_TITLE   the report's first words ("Collection cost at a 1 s interval")
#   REPORT_WHO     the column label ("FLick", "Agent")
#   RSS_GOAL       optional: the RSS ratio goal to check (1.5)
#   CPU_GOAL       optional: the CPU ratio goal to check (default 0.5)
#   RSS_GOAL_MIB   optional: an absolute RSS goal in MiB to check (200)

# --- measure --------------------------------------------------------------------------------------------------
CLK_TCK=$(getconf CLK_TCK)
ticks() {  # utime + stime + cutime + cstime; fields after the "(comm)", which may hold spaces
    local s; read -r s <"/proc/$1/stat" || return 1; s=${s##*) }
    # shellcheck disable=SC2086
    set -- $s; echo $(( ${12} + ${13} + ${14} + ${15} ))
}
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
rss_anon_kib() { awk '/^RssAnon:/ {print $2}' "/proc/$1/status"; }
alive() { kill -0 "$1" 2>/dev/null || { cat "$WORK/collector.err" "$WORK/node_exporter.log" >&2 2>/dev/null; die "$2 exited early"; }; }
nprocs() { local d n=0; for d in /proc/[0-9]*; do n=$((n + 1)); done; echo "$n"; }

log "JDK: $("$JAVA" -version 2>&1 | head -1); $("$NE_BIN" --version 2>&1 | head -1)"
log "$FL_DESCRIPTION (pid $FL_PID)"
log "node_exporter: $NE_BIN --web.listen-address=127.0.0.1:$NE_PORT (pid $NE_PID), scraped every 1 s"
log "warm-up ${WARMUP}s, then $ROUNDS × ${WINDOW}s; done in about $(( (WARMUP + ROUNDS * WINDOW + 59) / 60 )) min"
sleep "$WARMUP"

FL_MAX=0; NE_MAX=0
: >"$WORK/rounds.txt"
for r in $(seq "$ROUNDS"); do
    alive "$FL_PID" "$FL_NAME"; alive "$NE_PID" "node_exporter"
    fl0=$(ticks "$FL_PID"); ne0=$(ticks "$NE_PID"); w0=$EPOCHREALTIME
    procs=()
    for _ in $(seq "$WINDOW"); do
        sleep 1
        f=$(rss_kib "$FL_PID") || die "$FL_NAME exited"
        n=$(rss_kib "$NE_PID") || die "node_exporter exited"
        (( f > FL_MAX )) && FL_MAX=$f; (( n > NE_MAX )) && NE_MAX=$n
        procs+=("$(nprocs)")
    done
    fl1=$(ticks "$FL_PID"); ne1=$(ticks "$NE_PID"); w1=$EPOCHREALTIME
    procs_median=$(printf '%s\n' "${procs[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    # round fl_cpu ne_cpu fl_rss_kib ne_rss_kib procs fl_anon_kib ne_anon_kib
    awk -v r="$r" -v hz="$CLK_TCK" -v w0="$w0" -v w1="$w1" -v fd=$((fl1 - fl0)) -v nd=$((ne1 - ne0)) \
        -v fr="$f" -v nr="$n" -v p="$procs_median" -v fa="$(rss_anon_kib "$FL_PID")" -v na="$(rss_anon_kib "$NE_PID")" \
        'BEGIN { w = w1 - w0; printf "%d %.4f %.4f %d %d %d %d %d\n", r, 100*fd/hz/w, 100*nd/hz/w, fr, nr, p, fa, na }' \
        >>"$WORK/rounds.txt"
    awk -v r="$r" -v who="$REPORT_WHO" '$1 == r { printf "# round %d: %s %.2f %% CPU, %.1f MiB; node_exporter %.2f %% CPU, %.1f MiB; %d processes\n", r, who, $2, $4/1024, $3, $5/1024, $6 }' \
        "$WORK/rounds.txt" >&2
done

# --- report ---------------------------------------------------------------------------------------------------
SCRAPES=$(wc -l <"$WORK/scrapes.txt")
SCRAPE_MS=$(sort -n "$WORK/scrapes.txt" | awk '{a[NR]=$1} END {if (NR) printf "%.1f", 1000*(NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
awk -v fmax="$FL_MAX" -v nmax="$NE_MAX" -v rounds="$ROUNDS" -v window="$WINDOW" -v flags="$JVM_FLAGS" \
    -v ncpu="$(nproc)" -v scrapes="$SCRAPES" -v scrape_ms="$SCRAPE_MS" -v title="$REPORT_TITLE" -v who="$REPORT_WHO" \
    -v rss_goal="${RSS_GOAL:-}" -v cpu_goal="${CPU_GOAL:-0.5}" -v rss_goal_mib="${RSS_GOAL_MIB:-}" '
function median(arr, n,    i, j, t, b) {
    for (i = 1; i <= n; i++) b[i] = arr[i]
    for (i = 2; i <= n; i++) { t = b[i]; for (j = i - 1; j >= 1 && b[j] > t; j--) b[j+1] = b[j]; b[j+1] = t }
    return n % 2 ? b[(n+1)/2] : (b[n/2] + b[n/2+1]) / 2
}
function ratio(a, b) { return b > 0 ? sprintf("%.2f×", a / b) : "n/a" }
{
    n++; fc[n] = $2; nc[n] = $3; fr[n] = $4/1024; nr[n] = $5/1024; pr[n] = $6; fa[n] = $7/1024; na[n] = $8/1024
    cr[n] = $3 > 0 ? $2 / $3 : 0; rr[n] = $5 > 0 ? $4 / $5 : 0
}
END {
    printf "\n%s, side by side, %d rounds of %d s (%d cores; %s JVM flags: `%s`).\n", title, rounds, window, ncpu, who, flags
    printf "CPU is %% of one core; RSS is VmRSS at the end of each round.\n\n"
    printf "| Round | %s CPU %% | node_exporter CPU %% | CPU ratio | %s RSS (MiB) | node_exporter RSS (MiB) | RSS ratio | Processes |\n", who, who
    print "|---:|---:|---:|---:|---:|---:|---:|---:|"
    for (i = 1; i <= n; i++)
        printf "| %d | %.2f | %.2f | %.2f× | %.1f | %.1f | %.2f× | %d |\n", i, fc[i], nc[i], cr[i], fr[i], nr[i], rr[i], pr[i]
    mfc = median(fc, n); mnc = median(nc, n); mfr = median(fr, n); mnr = median(nr, n)
    printf "| **Median** | **%.2f** | **%.2f** | **%s** | **%.1f** | **%.1f** | **%s** | %d |\n", mfc, mnc, ratio(mfc, mnc), mfr, mnr, ratio(mfr, mnr), median(pr, n)
    printf "| Max RSS | | | | %.1f | %.1f | %s | |\n", fmax/1024, nmax/1024, ratio(fmax, nmax)
    printf "\nMedian of the per-round ratios: CPU %.2f×, RSS %.2f×. ", median(cr, n), median(rr, n)
    printf "Anonymous RSS (RssAnon, median): %s %.1f MiB, node_exporter %.1f MiB.\n", who, median(fa, n), median(na, n)
    printf "node_exporter answered %d scrapes, median %s ms each.\n", scrapes, scrape_ms
    printf "Goal %s CPU <= %s× node_exporter: %s (%s).", who, cpu_goal, (mnc > 0 && mfc / mnc <= cpu_goal + 0) ? "met" : "NOT met", ratio(mfc, mnc)
    if (rss_goal != "") printf " Goal %s RSS <= %s× node_exporter: %s (%s).", who, rss_goal, (mnr > 0 && mfr / mnr <= rss_goal + 0) ? "met" : "NOT met", ratio(mfr, mnr)
    if (rss_goal_mib != "") printf " Goal %s RSS <= %s MiB: %s (median %.1f MiB, max %.1f MiB).", who, rss_goal_mib, (fmax/1024 <= rss_goal_mib + 0) ? "met" : "NOT met", mfr, fmax/1024
    printf "\n"
}' "$WORK/rounds.txt"
