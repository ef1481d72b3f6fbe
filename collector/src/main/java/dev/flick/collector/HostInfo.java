package dev.flick.collector;

/** What a server is, sent once by a collector: API.md server {@code info}. uptime in seconds. */
public record HostInfo(String hostname, String os, String kernel, String cpuModel, int cores, long memoryTotal, long uptime) {}
