package dev.flick.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;

import dev.flick.collector.Snapshot;
import dev.flick.hub.metrics.Ingest;

/**
 * History query latency: one server with 24 h of 1 s snapshots fed through the real ingest path (as a back-fill),
 * then the chart queries the web client makes, timed over real HTTP.
 *
 * <pre>java -cp … dev.flick.bench.HistoryBench sqlite|postgres [queries]</pre>
 */
public final class HistoryBench {

    public static void main(String[] args) throws Exception {
        String db = args[0];
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        try (Hub hub = new Hub(db, "--flick.local-collector=false")) {
            Ingest ingest = hub.bean(Ingest.class);
            String id = "history-bench";
            hub.bean(org.springframework.jdbc.core.simple.JdbcClient.class)
                    .sql("INSERT INTO servers (id, name, mode, status, created_at) VALUES (?, 'bench', 'agent', 'offline', 0)")
                    .param(id).update();
            long now = System.currentTimeMillis() / 1000 * 1000;
            long start = now - 86_400_000L;
            Snapshot template = Fleet.template(id);
            long t0 = System.nanoTime();
            for (long ts = start; ts < now; ts += 1000) {
                while (ingest.stats().backlog() > 50_000) Thread.sleep(20);
                double wave = 40 + 35 * Math.sin(ts / 600_000.0);
                Snapshot.Cpu c = template.cpu();
                ingest.accept(new Snapshot(id, ts, new Snapshot.Cpu(wave, c.user(), c.system(), c.iowait(), c.steal(),
                        c.cores(), c.load1(), c.load5(), c.load15()), template.memory(), template.disks(), template.diskIo(),
                        template.network(), template.processes()));
            }
            while (ingest.stats().backlog() > 0) Thread.sleep(100);
            Thread.sleep(3_000); // the last rollup buckets
            System.err.printf("fed 86,400 snapshots in %.1f s%n", (System.nanoTime() - t0) / 1e9);

            HttpClient http = HttpClient.newHttpClient();
            String[][] ranges = {{"5 min", "300000"}, {"1 h", "3600000"}, {"24 h", "86400000"}};
            for (String[] range : ranges) {
                long span = Long.parseLong(range[1]);
                URI uri = URI.create(hub.base() + "/api/v1/servers/" + id + "/metrics?from=" + (now - span) + "&to=" + now);
                HttpRequest req = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + hub.token).build();
                for (int i = 0; i < 20; i++) http.send(req, HttpResponse.BodyHandlers.ofString()); // warm-up
                double[] ms = new double[queries];
                String tier = "";
                int points = 0;
                for (int i = 0; i < queries; i++) {
                    long q0 = System.nanoTime();
                    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                    ms[i] = (System.nanoTime() - q0) / 1e6;
                    if (i == 0) {
                        String b = r.body();
                        int k = b.indexOf("\"tier\":\"") + 8;
                        tier = b.substring(k, b.indexOf('"', k));
                        points = b.split("\\{\"ts\"", -1).length - 1;
                    }
                }
                Arrays.sort(ms);
                System.out.printf("| %s | %s | %s | %d | %.1f | %.1f | %.1f |%n", db, range[0], tier, points,
                        ms[queries / 2], ms[(int) Math.ceil(queries * 0.95) - 1], ms[queries - 1]);
            }
        }
        System.exit(0);
    }
}
