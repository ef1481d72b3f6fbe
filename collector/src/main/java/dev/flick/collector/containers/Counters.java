package dev.flick.collector.containers;

/**
 * A running container's cumulative counters at one moment, from its cgroup files or the engine's stats: CPU time in
 * ns, bytes received and sent on its interfaces (loopback left out), bytes read and written on block devices; and
 * its gauges: memory in use (inactive page cache left out), its limit (0 = none), processes.
 */
record Counters(long cpuNanos, long memory, long memoryLimit, long rxBytes, long txBytes, long readBytes,
                long writeBytes, int pids) {}
