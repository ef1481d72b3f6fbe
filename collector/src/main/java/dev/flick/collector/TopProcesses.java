package dev.flick.collector;

import dev.flick.collector.ProcSample.Process;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks the processes a snapshot shows (API.md): the ten busiest by CPU, then any of the ten largest by memory
 * not already among them, so between 10 and 20. One pass with two ten-slot insertion lists; nothing is sorted
 * or boxed per process.
 */
final class TopProcesses {

    static final int SIZE = 10;

    record Ranked(Process process, double cpu) {}

    private TopProcesses() {}

    /**
     * @param before        the previous sample's processes, sorted by pid; null for a first sample (every cpu is 0)
     * @param elapsedMillis wall time between the two samples
     * @param maxCpu        100 × logical CPUs: no process can use more, whatever a short interval's rounding says
     */
    static List<Ranked> select(List<Process> now, List<Process> before, double elapsedMillis, double maxCpu) {
        Process[] byCpu = new Process[SIZE];
        double[] byCpuValue = new double[SIZE];
        Process[] byMem = new Process[SIZE];
        double[] byMemCpu = new double[SIZE];
        int cpuCount = 0;
        int memCount = 0;
        for (Process p : now) {
            double cpu = cpu(p, before, elapsedMillis, maxCpu);
            cpuCount = insert(byCpu, byCpuValue, cpuCount, p, cpu, true);
            memCount = insert(byMem, byMemCpu, memCount, p, cpu, false);
        }
        List<Ranked> top = new ArrayList<>(cpuCount + memCount);
        for (int i = 0; i < cpuCount; i++) top.add(new Ranked(byCpu[i], byCpuValue[i]));
        // Then the largest by memory that are not already there, so memory alerts have their evidence too.
        outer:
        for (int i = 0; i < memCount; i++) {
            for (int k = 0; k < cpuCount; k++) if (byCpu[k] == byMem[i]) continue outer;
            top.add(new Ranked(byMem[i], byMemCpu[i]));
        }
        return top;
    }

    /** Inserts into a ten-slot list kept in rank order; returns the new count. */
    private static int insert(Process[] best, double[] bestCpu, int count, Process p, double cpu, boolean cpuFirst) {
        if (count == SIZE && !ranks(cpuFirst, cpu, p.rss(), bestCpu[SIZE - 1], best[SIZE - 1].rss())) return count;
        int i = count < SIZE ? count++ : SIZE - 1;
        while (i > 0 && ranks(cpuFirst, cpu, p.rss(), bestCpu[i - 1], best[i - 1].rss())) {
            best[i] = best[i - 1];
            bestCpu[i] = bestCpu[i - 1];
            i--;
        }
        best[i] = p;
        bestCpu[i] = cpu;
        return count;
    }

    private static boolean ranks(boolean cpuFirst, double cpu, long rss, double otherCpu, long otherRss) {
        return cpuFirst ? ranksAbove(cpu, rss, otherCpu, otherRss) : rss > otherRss || (rss == otherRss && cpu > otherCpu);
    }

    private static boolean ranksAbove(double cpu, long rss, double otherCpu, long otherRss) {
        return cpu > otherCpu || (cpu == otherCpu && rss > otherRss);
    }

    /** Percent of one core, like top: CPU time used in the interval over the interval's length. */
    static double cpu(Process p, List<Process> before, double elapsedMillis, double maxCpu) {
        if (before == null || elapsedMillis <= 0) return 0;
        Process earlier = find(before, p.pid());
        // A pid unseen before, or reused by a new process, was born in the interval: all its time is recent.
        long used = earlier != null && earlier.startTime() == p.startTime() ? p.cpuMillis() - earlier.cpuMillis() : p.cpuMillis();
        if (used <= 0) return 0;
        return Math.min(maxCpu, used * 100.0 / elapsedMillis);
    }

    private static Process find(List<Process> sorted, int pid) {
        int low = 0, high = sorted.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int midPid = sorted.get(mid).pid();
            if (midPid < pid) low = mid + 1;
            else if (midPid > pid) high = mid - 1;
            else return sorted.get(mid);
        }
        return null;
    }
}
