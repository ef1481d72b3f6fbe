package dev.flick.hub.logs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.flick.hub.api.ApiProblem;
import dev.flick.hub.api.TimeParam;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** GET /api/v1/logs: newest first, filtered, with an opaque keyset cursor so paging stays fast on millions of lines. */
@RestController
@RequestMapping("/api/v1/logs")
class LogsController {

    static final Set<String> LEVELS = Set.of("debug", "info", "notice", "warning", "error", "critical");
    static final Set<String> SOURCES = Set.of("hub", "journal", "syslog");

    private final JdbcClient jdbc;
    private final LogSearchIndex search;
    private final LogVisibility visibility;

    LogsController(JdbcClient jdbc, LogSearchIndex search, LogVisibility visibility) {
        this.jdbc = jdbc;
        this.search = search;
        this.visibility = visibility;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Item(long id, long ts, String serverId, String source, String level, String unit, String message,
                String actor, String target) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Page(List<Item> items, String nextCursor) {}

    @GetMapping
    Page logs(@RequestParam(required = false) String serverId,
              @RequestParam(required = false) String level,
              @RequestParam(required = false) String source,
              @RequestParam(required = false) String q,
              @RequestParam(required = false) String from,
              @RequestParam(required = false) String to,
              @RequestParam(required = false) Integer limit,
              @RequestParam(required = false) String cursor,
              @AuthenticationPrincipal Jwt jwt) {
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > 1_000) throw ApiProblem.badField("limit", "must be between 1 and 1000");
        StringBuilder sql = new StringBuilder(
                "SELECT id, ts, server_id, source, level, unit, message, actor, target FROM logs WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        String userId = jwt.getSubject();
        String role = jwt.getClaimAsString("role");
        boolean all = visibility.seesAll(userId, role);
        Set<String> visible = all ? Set.of() : visibility.visibleServers(userId, role);
        if (serverId != null && !serverId.isBlank()) {
            // Someone else's server: not found, as on every other endpoint.
            if (!all && !visible.contains(serverId)) throw ApiProblem.notFound("Server");
            sql.append(" AND server_id = ?");
            params.add(serverId);
        } else if (!all) {
            // Hub events (sign-ins, changes) have no server: only admins read them.
            if (visible.isEmpty()) return new Page(List.of(), null);
            sql.append(" AND server_id IN (").append("?, ".repeat(visible.size() - 1)).append("?)");
            params.addAll(visible);
        }
        if (level != null && !level.isBlank()) {
            List<String> levels = List.of(level.toLowerCase().split(","));
            for (String l : levels) {
                if (!LEVELS.contains(l.trim())) throw ApiProblem.badField("level", "must be one or more of " + LEVELS);
            }
            sql.append(" AND level IN (").append("?, ".repeat(levels.size() - 1)).append("?)");
            levels.forEach(l -> params.add(l.trim()));
        }
        if (source != null && !source.isBlank()) {
            if (!SOURCES.contains(source)) throw ApiProblem.badField("source", "must be one of " + SOURCES);
            sql.append(" AND source = ?");
            params.add(source);
        }
        if (from != null && !from.isBlank()) {
            sql.append(" AND ts >= ?");
            params.add(TimeParam.instant("from", from, 0));
        }
        if (to != null && !to.isBlank()) {
            sql.append(" AND ts < ?");
            params.add(TimeParam.instant("to", to, 0));
        }
        if (q != null && !q.isBlank()) {
            if (q.length() > 200) throw ApiProblem.badField("q", "must be at most 200 characters");
            sql.append(search.contains(q, params));
        }
        if (cursor != null && !cursor.isBlank()) {
            long[] c = decode(cursor);
            sql.append(" AND (ts < ? OR (ts = ? AND id < ?))");
            params.add(c[0]);
            params.add(c[0]);
            params.add(c[1]);
        }
        sql.append(" ORDER BY ts DESC, id DESC LIMIT ").append(n + 1);
        List<Item> items = jdbc.sql(sql.toString()).params(params)
                .query((rs, i) -> new Item(rs.getLong("id"), rs.getLong("ts"), rs.getString("server_id"),
                        rs.getString("source"), rs.getString("level"), rs.getString("unit"), rs.getString("message"),
                        rs.getString("actor"), rs.getString("target")))
                .list();
        String next = null;
        if (items.size() > n) {
            items = items.subList(0, n);
            Item last = items.getLast();
            next = encode(last.ts(), last.id());
        }
        return new Page(items, next);
    }

    static String encode(long ts, long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((ts + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    static long[] decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw ApiProblem.badField("cursor", "is not a cursor this API returned");
        }
    }
}
