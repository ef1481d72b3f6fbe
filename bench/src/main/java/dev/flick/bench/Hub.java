package dev.flick.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

import dev.flick.hub.FlickApplication;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** A real hub started in this JVM on SQLite or a fresh PostgreSQL schema, with an admin signed in. */
final class Hub implements AutoCloseable {

    static final String PG = System.getenv().getOrDefault("FLICK_BENCH_POSTGRES", "jdbc:postgresql://127.0.0.1:5432/test");
    /** A cluster that preloads TimescaleDB (built locally: docs/storage.md), for db "timescale". */
    static final String TIMESCALE = System.getenv().getOrDefault("FLICK_BENCH_TIMESCALE", "jdbc:postgresql://127.0.0.1:5433/test");

    final ConfigurableApplicationContext context;
    final int port;
    final String token;
    private final String schema;
    private final String admin;

    Hub(String db, String... extra) throws Exception {
        String dataDir = Files.createTempDirectory("flick-bench").toString();
        String url = "";
        // "postgres" or "postgres:PORT": the same database reached through a proxy on that loopback port.
        // "timescale": a fresh schema on the TimescaleDB cluster, the extension in public.
        schema = db.startsWith("postgres") || db.equals("timescale") ? "flick_bench_" + UUID.randomUUID().toString().substring(0, 8) : null;
        admin = db.equals("timescale") ? TIMESCALE : PG;
        if (db.equals("timescale")) exec("CREATE EXTENSION IF NOT EXISTS timescaledb");
        if (schema != null) {
            exec("CREATE SCHEMA " + schema);
            String base = db.startsWith("postgres:") ? "jdbc:postgresql://127.0.0.1:" + db.substring(9) + "/test" : admin;
            url = base + "?currentSchema=" + schema + (db.equals("timescale") ? ",public" : "") + "&user=postgres";
        }
        String[] args = new String[4 + extra.length];
        args[0] = "--server.port=0";
        args[1] = "--flick.data-dir=" + dataDir;
        args[2] = "--flick.database-url=" + url;
        args[3] = "--logging.level.root=WARN";
        System.arraycopy(extra, 0, args, 4, extra.length);
        context = new SpringApplication(FlickApplication.class).run(args);
        port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        token = setup();
    }

    private String setup() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/auth/setup"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"bench@example.com\",\"password\":\"bench password 1\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        String body = r.body();
        int i = body.indexOf("\"accessToken\":\"") + 15;
        return body.substring(i, body.indexOf('"', i));
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    static long rssBytes() throws Exception {
        for (String line : Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
        return -1;
    }

    void exec(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(admin, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws Exception {
        context.close();
        if (schema != null) exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
}
