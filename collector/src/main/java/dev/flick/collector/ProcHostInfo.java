package dev.flick.collector;

import java.util.HashMap;
import java.util.Map;

/** Reads what {@link ProcScript#HOST_INFO} prints (and the same files read locally) into a {@link HostInfo}. */
public final class ProcHostInfo {

    static final String[] FILES = {"/proc/sys/kernel/hostname", "/proc/sys/kernel/osrelease", "/etc/os-release",
            "/usr/lib/os-release", "/proc/cpuinfo", "/proc/meminfo", "/proc/uptime"};

    private ProcHostInfo() {}

    /** @throws MalformedSampleException when the output lacks the files every Linux has */
    public static HostInfo parse(String output) {
        Map<String, String> files = new HashMap<>();
        for (HeadOutput.File f : HeadOutput.split(output, 0, output.length())) files.put(f.path(), f.content());
        return fromFiles(files);
    }

    /** path → content of the {@link #FILES} that could be read. */
    static HostInfo fromFiles(Map<String, String> files) {
        String hostname = firstLine(files.get("/proc/sys/kernel/hostname"));
        String kernel = firstLine(files.get("/proc/sys/kernel/osrelease"));
        String meminfo = files.get("/proc/meminfo");
        String uptime = files.get("/proc/uptime");
        if (hostname.isEmpty() || kernel.isEmpty() || meminfo == null || uptime == null) {
            throw new MalformedSampleException("host info lacks hostname, kernel release, meminfo or uptime");
        }
        String osRelease = files.getOrDefault("/etc/os-release", files.get("/usr/lib/os-release"));
        String cpuinfo = files.getOrDefault("/proc/cpuinfo", "");
        return new HostInfo(hostname, osName(osRelease), kernel, cpuModel(cpuinfo), logicalCpus(cpuinfo),
                ProcFiles.meminfo(meminfo).total(), ProcFiles.uptimeNanos(uptime) / 1_000_000_000L);
    }

    /** PRETTY_NAME, else NAME and VERSION_ID, as os-release(5) suggests. */
    static String osName(String osRelease) {
        if (osRelease == null) return "Linux";
        Map<String, String> values = new HashMap<>();
        for (String line : osRelease.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) values.put(line.substring(0, eq).strip(), unquote(line.substring(eq + 1).strip()));
        }
        String pretty = values.get("PRETTY_NAME");
        if (pretty != null && !pretty.isBlank()) return pretty;
        String name = values.getOrDefault("NAME", "Linux");
        String version = values.get("VERSION_ID");
        return version == null ? name : name + " " + version;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'') && value.endsWith(value.substring(0, 1))) {
            value = value.substring(1, value.length() - 1);
        }
        return value.replace("\\\"", "\"").replace("\\$", "$").replace("\\`", "`").replace("\\\\", "\\");
    }

    /** x86 says "model name"; ARM and others use other keys, tried in order. */
    static String cpuModel(String cpuinfo) {
        for (String key : new String[] {"model name", "Model", "Hardware", "cpu model", "cpu", "uarch"}) {
            for (String line : cpuinfo.split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equals(key)) {
                    String value = line.substring(colon + 1).strip();
                    if (!value.isEmpty()) return value;
                }
            }
        }
        return "";
    }

    /** One "processor" entry per online logical CPU. */
    static int logicalCpus(String cpuinfo) {
        int count = 0;
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals("processor")) count++;
        }
        return count;
    }

    private static String firstLine(String text) {
        if (text == null) return "";
        int end = ProcFiles.lineEnd(text, 0);
        return text.substring(0, end).strip();
    }
}
