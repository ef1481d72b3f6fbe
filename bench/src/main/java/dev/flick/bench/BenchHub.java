package dev.flick.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real hub for the collection-cost scripts: started in this JVM (SQLite, no local collector), with one remote server
 * added through the API. Prints {@code PORT <port>} and, for an agent server, {@code TOKEN <token>}, then runs until
 * killed.
 *
 * <pre>java -cp … dev.flick.bench.BenchHub agent
 * java -cp … dev.flick.bench.BenchHub ssh HOST PORT USER KEYFILE</pre>
 */
public final class BenchHub {

    public static void main(String[] args) throws Exception {
        // The bench sshd listens on loopback, which SSH servers may not point at otherwise.
        Hub hub = new Hub("sqlite", "--flick.local-collector=false", "--flick.ssh.allow-loopback=true");
        String body = args[0].equals("agent")
                ? "{\"name\":\"bench agent\",\"mode\":\"agent\"}"
                : "{\"name\":\"bench ssh\",\"mode\":\"ssh\",\"host\":\"" + args[1] + "\",\"port\":" + args[2] + ",\"username\":\""
                        + args[3] + "\",\"privateKey\":" + quote(Files.readString(Path.of(args[4]))) + "}";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(hub.base() + "/api/v1/servers"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + hub.token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) throw new IllegalStateException("adding the server failed: " + r.statusCode() + " " + r.body());
        System.out.println("PORT " + hub.port);
        int t = r.body().indexOf("\"agentToken\":\"");
        if (t >= 0) System.out.println("TOKEN " + r.body().substring(t + 14, r.body().indexOf('"', t + 14)));
        System.out.flush();
        Thread.currentThread().join();
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
