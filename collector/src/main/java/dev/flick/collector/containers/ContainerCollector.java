package dev.flick.collector.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import dev.flick.collector.Snapshot.Container;
import dev.flick.collector.Snapshot.Container.Health;
import dev.flick.collector.Snapshot.Container.State;

/**
 * The containers of one Docker or Podman engine, sampled once per interval (docs/snapshot.md "containers").
 *
 * <p>Each sample lists every container ({@code GET /containers/json?all=true}: one request, so a container that
 * started is seen at the next sample and one that stopped shows as exited). A container is inspected when it is new,
 * when its state changed, and every {@value #HEALTH_REFRESH_MS} ms while it has a health check (the verdict is not in
 * the list) or every {@value #INSPECT_REFRESH_MS} ms otherwise, for its restart count, start time, health, main pid
 * and memory limit. Counters of running containers come from their cgroup files when this process can read them
 * ({@link Cgroups}: the local collector and the agent), else from {@code stats?stream=false&one-shot=true} (SSH).
 * CPU and rates are differences between two samples, so the first sample of a container reports 0.
 */
public final class ContainerCollector {

    static final long HEALTH_REFRESH_MS = 2_000;
    static final long INSPECT_REFRESH_MS = 10_000;

    private final EngineApi api;
    private final Cgroups cgroups;
    private final LongSupplier nanos;
    private final Map<String, Tracked> tracked = new HashMap<>();
    private volatile String lastProblem;

    /** @param cgroups read counters from this host's cgroup files (the engine runs here) instead of asking the engine */
    public ContainerCollector(EngineTransport transport, boolean cgroups) {
        this(transport, cgroups ? new Cgroups() : null, System::nanoTime);
    }

    ContainerCollector(EngineTransport transport, Cgroups cgroups, LongSupplier nanos) {
        this.api = new EngineApi(transport, 5_000);
        this.cgroups = cgroups != null && cgroups.available() ? cgroups : null;
        this.nanos = nanos;
    }

    /**
     * The engine of this host, or null when none is found: {@code DOCKER_HOST} (unix:// only), then Docker's
     * socket, the system Podman socket and the user's.
     */
    public static ContainerCollector local() {
        for (Path socket : sockets(System.getenv())) {
            if (Files.exists(socket)) return new ContainerCollector(new UnixSocketTransport(socket), true);
        }
        return null;
    }

    /** The engine at this socket on this host, or null while the socket does not exist. */
    public static ContainerCollector at(Path socket) {
        return Files.exists(socket) ? new ContainerCollector(new UnixSocketTransport(socket), true) : null;
    }

    /** Where an engine socket may be, in the order tried. */
    public static List<Path> sockets(Map<String, String> env) {
        Set<Path> out = new LinkedHashSet<>();
        String host = env.get("DOCKER_HOST");
        if (host != null && host.startsWith("unix://")) out.add(Path.of(host.substring("unix://".length())));
        out.add(Path.of("/var/run/docker.sock"));
        out.add(Path.of("/run/podman/podman.sock"));
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank()) out.add(Path.of(runtime, "podman", "podman.sock"));
        return List.copyOf(out);
    }

    /**
     * The containers now, sorted by name; null when the engine cannot be reached (containers not collected this
     * time: the snapshot leaves the section out).
     */
    public synchronized List<Container> sample() {
        Object list;
        try {
            list = api.get("/containers/json?all=true");
        } catch (IOException e) {
            tracked.clear();
            lastProblem = e.getClass().getSimpleName() + ": " + e.getMessage();
            return null;
        }
        long now = nanos.getAsLong();
        long nowMs = now / 1_000_000;
        Set<String> seen = new HashSet<>();
        List<Container> out = new ArrayList<>();
        for (Object entry : list instanceof List<?> l ? l : List.of()) {
            String id = Json.text(entry, "Id");
            if (id == null || id.isEmpty()) continue;
            seen.add(id);
            Tracked t = tracked.computeIfAbsent(id, Tracked::new);
            t.name = name(entry);
            t.image = Json.text(entry, "Image");
            State state = State.of(Json.text(entry, "State"));
            if (t.inspectedMs == Long.MIN_VALUE || state != t.state
                    || nowMs - t.inspectedMs >= (t.hasHealthCheck ? HEALTH_REFRESH_MS : INSPECT_REFRESH_MS)) {
                inspect(t, nowMs);
            }
            t.state = state;
            out.add(measure(t, now));
        }
        tracked.keySet().retainAll(seen);
        out.sort(Comparator.comparing(Container::name, Comparator.nullsFirst(Comparator.naturalOrder())));
        return out;
    }

    /** Why the last sample found no engine (for the log of whoever drives this), or null. */
    public String lastProblem() {
        return lastProblem;
    }

    private void inspect(Tracked t, long nowMs) {
        Object d;
        try {
            d = api.get("/containers/" + t.id + "/json");
        } catch (IOException e) {
            return; // removed between list and inspect, or the engine hiccuped: next sample tries again
        }
        t.inspectedMs = nowMs;
        t.restarts = (int) Json.number(d, "RestartCount");
        long started = instant(Json.text(d, "State", "StartedAt"));
        if (started != t.startedAt) t.last = null; // a new run: its counters start again
        t.startedAt = started;
        t.pid = (int) Json.number(d, "State", "Pid");
        t.health = Health.of(Json.text(d, "State", "Health", "Status"));
        t.hasHealthCheck = Json.has(d, "Config", "Healthcheck", "Test") || t.health != Health.NONE;
        t.configuredLimit = Json.number(d, "HostConfig", "Memory");
        if (t.image == null) t.image = Json.text(d, "Config", "Image");
    }

    private Container measure(Tracked t, long now) {
        boolean running = t.state == State.RUNNING || t.state == State.PAUSED;
        Health health = running ? t.health : Health.NONE;
        if (!running) {
            t.last = null;
            return new Container(shortId(t.id), t.name, t.image, t.state, health, t.restarts, t.startedAt,
                    0, 0, t.configuredLimit, 0, 0, 0, 0, 0);
        }
        Counters c = cgroups != null ? cgroups.read(t.pid) : null;
        if (c == null && cgroups != null) t.inspectedMs = Long.MIN_VALUE; // its pid may have changed: look again
        if (c == null) c = stats(t);
        if (c == null) {
            return new Container(shortId(t.id), t.name, t.image, t.state, health, t.restarts, t.startedAt,
                    0, 0, t.configuredLimit, 0, 0, 0, 0, 0);
        }
        double cpu = 0, rx = 0, tx = 0, read = 0, write = 0;
        Counters p = t.last;
        if (p != null && now > t.lastNanos) {
            double seconds = (now - t.lastNanos) / 1e9;
            cpu = Math.max(0, c.cpuNanos() - p.cpuNanos()) / 1e9 / seconds * 100;
            rx = Math.max(0, c.rxBytes() - p.rxBytes()) / seconds;
            tx = Math.max(0, c.txBytes() - p.txBytes()) / seconds;
            read = Math.max(0, c.readBytes() - p.readBytes()) / seconds;
            write = Math.max(0, c.writeBytes() - p.writeBytes()) / seconds;
        }
        t.last = c;
        t.lastNanos = now;
        long limit = c.memoryLimit() > 0 ? c.memoryLimit() : t.configuredLimit;
        return new Container(shortId(t.id), t.name, t.image, t.state, health, t.restarts, t.startedAt,
                cpu, c.memory(), limit, rx, tx, read, write, c.pids());
    }

    /** The engine's own numbers, where the cgroup files are out of reach. */
    private Counters stats(Tracked t) {
        Object s;
        try {
            s = api.get("/containers/" + t.id + "/stats?stream=false&one-shot=true");
        } catch (IOException e) {
            return null;
        }
        long cache = Json.number(s, "memory_stats", "stats", "inactive_file");
        if (cache == 0) cache = Json.number(s, "memory_stats", "stats", "total_inactive_file");
        long memory = Math.max(0, Json.number(s, "memory_stats", "usage") - cache);
        long rx = 0, tx = 0;
        for (Object net : Json.object(s, "networks").values()) {
            rx += Json.number(net, "rx_bytes");
            tx += Json.number(net, "tx_bytes");
        }
        long read = 0, write = 0;
        for (Object io : Json.list(s, "blkio_stats", "io_service_bytes_recursive")) {
            String op = Json.text(io, "op");
            if ("read".equalsIgnoreCase(op)) read += Json.number(io, "value");
            else if ("write".equalsIgnoreCase(op)) write += Json.number(io, "value");
        }
        // The stats' limit is the host's memory when the container has none; the inspected one says which.
        return new Counters(Json.number(s, "cpu_stats", "cpu_usage", "total_usage"), memory, t.configuredLimit,
                rx, tx, read, write, (int) Json.number(s, "pids_stats", "current"));
    }

    private static String name(Object entry) {
        List<?> names = Json.list(entry, "Names");
        if (!names.isEmpty() && names.get(0) instanceof String n) return n.startsWith("/") ? n.substring(1) : n;
        String id = Json.text(entry, "Id");
        return id == null ? null : shortId(id);
    }

    /** The 12 characters engines show. */
    static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    /** RFC 3339 as epoch ms; the zero time engines write for "never" (year 1) is 0. */
    static long instant(String text) {
        if (text == null || text.isEmpty() || text.startsWith("0001-")) return 0;
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    private static final class Tracked {
        final String id;
        String name;
        String image;
        State state;
        Health health = Health.NONE;
        int restarts;
        long startedAt;
        int pid;
        boolean hasHealthCheck;
        long configuredLimit;
        long inspectedMs = Long.MIN_VALUE;
        Counters last;
        long lastNanos;

        Tracked(String id) {
            this.id = id;
        }
    }
}
