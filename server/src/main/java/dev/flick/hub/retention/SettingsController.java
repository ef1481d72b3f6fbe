package dev.flick.hub.retention;

import java.time.Duration;
import java.time.format.DateTimeParseException;

import dev.flick.hub.api.ApiProblem;
import dev.flick.hub.auth.Roles;
import dev.flick.hub.metrics.Ingest;
import dev.flick.hub.metrics.IngestStatus;
import dev.flick.hub.servers.Servers;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/settings")
class SettingsController {

    private final Retention retention;
    private final StorageReport storage;
    private final Ingest ingest;
    private final Servers servers;

    SettingsController(Retention retention, StorageReport storage, Ingest ingest, Servers servers) {
        this.retention = retention;
        this.storage = storage;
        this.ingest = ingest;
        this.servers = servers;
    }

    /** The write path's health for the admin's Storage health card: the same state /actuator/health reports. */
    record IngestView(String status, Database database, DataDisk dataDisk, Backlog ingest) {
        record Database(String status, Long writeLatencyMs, String lastError, Long downSince) {}

        record DataDisk(String status, String path, long freeBytes, long thresholdBytes, String lastError) {}

        record Backlog(long spoolBytes, long backlog, long written, long droppedTotal, java.util.Map<String, Long> dropped,
                       java.util.List<ServerDrops> droppedByServer) {}

        record ServerDrops(String serverId, String name, String reason, long count) {}
    }

    @GetMapping("/ingest")
    IngestView ingest(@AuthenticationPrincipal Jwt jwt) {
        Roles.requireAdmin(jwt);
        IngestStatus s = ingest.status();
        var names = new java.util.HashMap<String, String>();
        try {
            for (Servers.Known k : servers.all()) names.put(k.id(), k.name());
        } catch (RuntimeException e) {
            // the database is away: the report still answers, without names
        }
        boolean down = !s.databaseUp() || !s.diskUp() || s.spoolBlocked() != null;
        String status = down ? "DOWN" : s.droppedTotal() > 0 ? "DEGRADED" : "UP";
        return new IngestView(status,
                new IngestView.Database(s.databaseUp() ? "UP" : "DOWN", s.writeMillis() < 0 ? null : s.writeMillis(),
                        s.lastError(), s.databaseUp() ? null : s.failingSince()),
                new IngestView.DataDisk(s.diskUp() ? "UP" : "DOWN", String.valueOf(s.dataDir()), s.freeBytes(), s.minFreeBytes(),
                        s.outOfSpace() ? s.spoolBlocked() : null),
                new IngestView.Backlog(s.spoolBytes(), s.backlog(), s.written(), s.droppedTotal(), s.dropped(),
                        s.droppedByServer().stream().map(d -> new IngestView.ServerDrops(d.serverId(), names.get(d.serverId()),
                                d.reason(), d.count())).toList()));
    }

    record RetentionBody(String raw, String minute, String hour, String logs, String events) {}

    @GetMapping("/retention")
    Retention.RetentionView get(@AuthenticationPrincipal Jwt jwt) {
        Roles.requireAdmin(jwt);
        return Retention.RetentionView.of(retention.current());
    }

    @PutMapping("/retention")
    Retention.RetentionView put(@AuthenticationPrincipal Jwt jwt, @RequestBody RetentionBody body) {
        Roles.requireAdmin(jwt);
        RetentionPolicy policy = new RetentionPolicy(parse("raw", body.raw()), parse("minute", body.minute()),
                parse("hour", body.hour()), parse("logs", body.logs()), parse("events", body.events()));
        retention.change(policy, Roles.actor(jwt));
        return Retention.RetentionView.of(policy);
    }

    @GetMapping("/storage")
    StorageReport.Report storage(@AuthenticationPrincipal Jwt jwt) {
        Roles.requireAdmin(jwt);
        return storage.report();
    }

    private static Duration parse(String field, String value) {
        if (value == null || value.isBlank()) return null; // reported by the policy's own checks, with the others
        try {
            return Duration.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ApiProblem.badField(field, "must be an ISO-8601 duration such as P30D or PT12H");
        }
    }
}
