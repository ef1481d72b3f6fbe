package dev.flick.hub.export;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.flick.hub.alerts.Alerts;
import dev.flick.hub.live.LiveHub;
import dev.flick.hub.servers.Presence;
import dev.flick.hub.servers.ServerAccess;
import dev.flick.hub.servers.Servers;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * GET /metrics: the servers the caller may see (an API token's server list narrows it, through ServerAccess), in
 * the Prometheus text format, or OpenMetrics when Accept asks for it. Built from the snapshots the hub holds.
 */
@RestController
class PrometheusExport {

    private final Servers servers;
    private final ServerAccess access;
    private final Presence presence;
    private final LiveHub live;
    private final NodeCounters counters;
    private final Alerts alerts;
    private final ExpositionFormatWriter text = PrometheusTextFormatWriter.create();
    private final ExpositionFormatWriter openMetrics = OpenMetricsTextFormatWriter.create();

    PrometheusExport(Servers servers, ServerAccess access, Presence presence, LiveHub live, NodeCounters counters, Alerts alerts) {
        this.servers = servers;
        this.access = access;
        this.presence = presence;
        this.live = live;
        this.counters = counters;
        this.alerts = alerts;
    }

    @GetMapping("/metrics")
    void metrics(@AuthenticationPrincipal Jwt jwt, @RequestHeader(value = "Accept", required = false) String accept,
                 HttpServletResponse response) throws IOException {
        Set<String> visible = access.visibleIds(jwt.getSubject(), jwt.getClaimAsString("role"));
        List<NodeExposition.ServerView> views = new ArrayList<>();
        for (Servers.Known k : servers.all()) {
            if (!visible.contains(k.id())) continue;
            views.add(new NodeExposition.ServerView(k.id(), k.name(), presence.status(k.id(), "offline"),
                    live.latest(k.id()).orElse(null), counters.totals(k.id())));
        }
        List<NodeExposition.OpenAlert> open = new ArrayList<>();
        for (Alerts.Open a : alerts.open()) {
            if (visible.contains(a.serverId()))
                open.add(new NodeExposition.OpenAlert(a.serverId(), a.ruleId(), a.ruleName(), a.metric(), a.mount(), a.level()));
        }
        MetricSnapshots snapshots = NodeExposition.build(views, open);
        ExpositionFormatWriter writer = accept != null && openMetrics.accepts(accept) ? openMetrics : text;
        response.setContentType(writer.getContentType());
        response.setHeader("Cache-Control", "no-store");
        try (OutputStream out = response.getOutputStream()) {
            writer.write(out, snapshots);
        }
    }
}
