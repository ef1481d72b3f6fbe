package dev.flick.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.sun.net.httpserver.HttpServer;

/**
 * Script time per update of 10 live uPlot charts at 1 Hz, in Debian's Chromium: serves the chart benchmark page
 * (web/bench, built into bench/target/web-charts) from 127.0.0.1 and reads the Performance API timings it records.
 *
 * <pre>java -cp … dev.flick.bench.WebChartsBench [updates] [points]</pre>
 */
public final class WebChartsBench {

    public static void main(String[] args) throws Exception {
        int updates = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int points = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        Path root = Path.of("bench", "target", "web-charts").toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("bench/charts.html"))) {
            throw new IllegalStateException("Build the page first: cd web && npm run build:bench");
        }
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            String name = file.getFileName().toString();
            String type = name.endsWith(".html") ? "text/html" : name.endsWith(".js") ? "text/javascript"
                    : name.endsWith(".css") ? "text/css" : "application/octet-stream";
            byte[] body = Files.readAllBytes(file);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
                Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium")))
                        .setHeadless(true)
                        .setArgs(List.of("--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--enable-precise-memory-info")))) {
            Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1366, 1700));
            page.navigate("http://127.0.0.1:" + http.getAddress().getPort() + "/bench/charts.html?updates=" + updates
                    + "&points=" + points + "&charts=10");
            String profile = System.getenv("FLICK_BENCH_PROFILE");
            com.microsoft.playwright.CDPSession cdp = null;
            if (profile != null) {
                cdp = page.context().newCDPSession(page);
                cdp.send("Profiler.enable");
                cdp.send("Profiler.setSamplingInterval", new com.google.gson.JsonParser().parse("{\"interval\":100}").getAsJsonObject());
                cdp.send("Profiler.start");
            }
            page.waitForFunction("() => window.__bench !== undefined", null,
                    new Page.WaitForFunctionOptions().setTimeout((updates + 30) * 1000.0).setPollingInterval(Double.parseDouble(System.getenv().getOrDefault("FLICK_BENCH_POLL_MS", "2000"))));
            if (cdp != null) {
                Files.writeString(Path.of(profile), cdp.send("Profiler.stop").get("profile").toString());
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) page.evaluate("() => window.__bench");
            double median = ((Number) r.get("medianMs")).doubleValue();
            double p95 = ((Number) r.get("p95Ms")).doubleValue();
            double max = ((Number) r.get("maxMs")).doubleValue();
            double sync = ((Number) r.get("syncMedianMs")).doubleValue();
            System.out.println("| charts | points each | updates | median ms | p95 ms | max ms | median ms per chart | median ms before uPlot's draw |");
            System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            System.out.printf("| %s | %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f |%n", r.get("charts"), r.get("points"), r.get("updates"),
                    median, p95, max, median / ((Number) r.get("charts")).doubleValue(), sync);
            if (System.getenv("FLICK_BENCH_DURATIONS") != null) {
                System.out.println("durations (ms, in order): " + r.get("durations"));
                System.out.println("a collection inside: " + r.get("gcIn"));
                System.out.println("per chart: " + page.evaluate("() => JSON.stringify(window.__perChart.slice(2))"));
            }
        } finally {
            http.stop(0);
        }
    }

    private WebChartsBench() {
    }
}
