package dev.flick.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.flick.collector.Snapshot;
import dev.flick.collector.SnapshotJson;

/**
 * N simulated agents in their own JVM (so the hub's CPU is the hub's): one real WebSocket each to /api/v1/agent,
 * authenticated with its own token, each sending one realistic snapshot a second (spread evenly over the second),
 * stamped with the send time so a viewer can measure snapshot→viewer latency.
 *
 * <pre>java -cp … dev.flick.bench.AgentFleet PORT TOKENS_FILE SECONDS</pre>
 */
public final class AgentFleet {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        List<String> tokens = Files.readAllLines(Path.of(args[1]));
        int seconds = Integer.parseInt(args[2]);
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
        List<WebSocket> sockets = new ArrayList<>();
        List<CompletableFuture<Void>> readies = new ArrayList<>();
        AtomicLong acks = new AtomicLong();
        for (String token : tokens) {
            CompletableFuture<Void> ready = new CompletableFuture<>();
            WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/agent"),
                    new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            String m = data.toString();
                            if (m.contains("\"ready\"")) ready.complete(null);
                            else if (m.contains("\"ack\"")) acks.incrementAndGet();
                            w.request(1);
                            return null;
                        }
                    }).join();
            ws.sendText("{\"type\":\"auth\",\"token\":\"" + token + "\",\"interval\":1000}", true).join();
            sockets.add(ws);
            readies.add(ready);
        }
        CompletableFuture.allOf(readies.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        System.out.println("CONNECTED " + sockets.size());
        System.out.flush();

        Snapshot[] fleet = new Snapshot[sockets.size()];
        for (int i = 0; i < fleet.length; i++) fleet[i] = Fleet.template("agent-" + i);
        int ticksPerSecond = 100;
        ScheduledExecutorService gen = Executors.newSingleThreadScheduledExecutor();
        AtomicLong tick = new AtomicLong();
        @SuppressWarnings("unchecked")
        CompletableFuture<WebSocket>[] inFlight = new CompletableFuture[fleet.length];
        AtomicLong skipped = new AtomicLong();
        gen.scheduleAtFixedRate(() -> {
            long t = tick.getAndIncrement() % ticksPerSecond;
            int from = (int) (t * fleet.length / ticksPerSecond);
            int to = (int) ((t + 1) * fleet.length / ticksPerSecond);
            for (int i = from; i < to; i++) {
                if (inFlight[i] != null && !inFlight[i].isDone()) {
                    skipped.incrementAndGet(); // a socket still sending the last one: a real agent would buffer
                    continue;
                }
                String json = SnapshotJson.write(fleet[i].withTs(System.currentTimeMillis()));
                inFlight[i] = sockets.get(i).sendText("{\"type\":\"snapshots\",\"items\":[" + json + "]}", true);
            }
        }, 0, 1000 / ticksPerSecond, TimeUnit.MILLISECONDS);
        Thread.sleep(seconds * 1000L);
        gen.shutdownNow();
        System.out.println("DONE acks=" + acks.get() + " skipped=" + skipped.get());
        System.exit(0);
    }
}
