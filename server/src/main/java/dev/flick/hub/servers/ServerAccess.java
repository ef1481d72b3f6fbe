package dev.flick.hub.servers;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.flick.hub.api.ApiProblem;
import dev.flick.hub.auth.ApiTokenLimits;
import dev.flick.hub.auth.AuthenticatedUser;
import dev.flick.hub.logs.LogVisibility;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * Who may see and change which server. Admins: every server. Others: the servers they own, and those shared with
 * them at level view (read-only) or manage. Viewers never change anything. A server someone may not see is
 * answered as not found, never forbidden, so ids reveal nothing.
 *
 * <p>The rules are held in memory (a few rows per server) and reloaded on every change, because the live path
 * asks for every message to every socket.
 */
@Component
public class ServerAccess implements LogVisibility {

    public enum Level { view, manage }

    /** A share: who, at which level. */
    public record Grant(String userId, Level level) {}

    private record Rules(Map<String, String> owners, Map<String, Map<String, Level>> shares) {}

    private final JdbcClient jdbc;
    private volatile Rules rules = new Rules(Map.of(), Map.of());
    private volatile long loadedAt;

    ServerAccess(JdbcClient jdbc) {
        this.jdbc = jdbc;
        reload();
    }

    /** Re-reads owners and shares; called after any change to servers or shares. */
    public synchronized void reload() {
        Map<String, String> owners = new HashMap<>();
        jdbc.sql("SELECT id, owner_id FROM servers").query(rs -> {
            owners.put(rs.getString(1), rs.getString(2));
        });
        Map<String, Map<String, Level>> shares = new HashMap<>();
        jdbc.sql("SELECT server_id, user_id, level FROM server_access").query(rs -> {
            shares.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), Level.valueOf(rs.getString(3)));
        });
        rules = new Rules(owners, shares);
        loadedAt = System.currentTimeMillis();
    }

    private synchronized Rules reloadIfOlderThan(long ms) {
        if (System.currentTimeMillis() - loadedAt >= ms) reload();
        return rules;
    }

    public boolean canView(String userId, String role, String serverId) {
        if (serverId == null) return false;
        if (!ApiTokenLimits.serverAllowed(userId, serverId)) return false; // an API token limited to other servers
        Rules r = rules;
        if (!r.owners().containsKey(serverId)) {
            // A server added by a path that did not call reload (or an id that does not exist): re-read, at most ten times a second.
            r = reloadIfOlderThan(100);
            if (!r.owners().containsKey(serverId)) return false;
        }
        if ("admin".equals(role)) return true;
        if (userId != null && userId.equals(r.owners().get(serverId))) return true;
        Map<String, Level> s = r.shares().get(serverId);
        return s != null && s.containsKey(userId);
    }

    public boolean canView(AuthenticatedUser user, String serverId) {
        return user != null && canView(user.id(), user.role(), serverId);
    }

    public boolean canManage(String userId, String role, String serverId) {
        if (!canView(userId, role, serverId) || "viewer".equals(role)) return false;
        if ("admin".equals(role)) return true;
        Rules r = rules;
        if (userId.equals(r.owners().get(serverId))) return true;
        Map<String, Level> s = r.shares().get(serverId);
        return s != null && s.get(userId) == Level.manage;
    }

    /** Only the owner and admins decide who else sees a server. */
    public boolean canShare(String userId, String role, String serverId) {
        if (!canView(userId, role, serverId) || "viewer".equals(role)) return false;
        return "admin".equals(role) || userId.equals(rules.owners().get(serverId));
    }

    /** 404 when the caller may not see the server. */
    public void requireView(Jwt jwt, String serverId) {
        if (!canView(jwt.getSubject(), role(jwt), serverId)) throw ApiProblem.notFound("Server");
    }

    /** 404 when the caller may not see the server, 403 when they may see but not change it. */
    public void requireManage(Jwt jwt, String serverId) {
        requireView(jwt, serverId);
        if (!canManage(jwt.getSubject(), role(jwt), serverId)) throw ApiProblem.forbidden("You may view this server but not change it");
    }

    /** For actions that create something new (servers, rules): viewers may not. */
    public static void requireNotViewer(Jwt jwt) {
        if ("viewer".equals(role(jwt))) throw ApiProblem.forbidden("Viewers cannot change anything");
    }

    public Set<String> visibleIds(String userId, String role) {
        Rules r = rules;
        Set<String> ids = new HashSet<>();
        for (var e : r.owners().entrySet()) {
            if (canView(userId, role, e.getKey())) ids.add(e.getKey());
        }
        return ids;
    }

    public String owner(String serverId) {
        return rules.owners().get(serverId);
    }

    public List<Grant> grants(String serverId) {
        Map<String, Level> s = rules.shares().getOrDefault(serverId, Map.of());
        return s.entrySet().stream().map(e -> new Grant(e.getKey(), e.getValue()))
                .sorted(java.util.Comparator.comparing(Grant::userId)).toList();
    }

    /** Replaces the shares of a server. */
    synchronized void replace(String serverId, List<Grant> grants, String grantedBy) {
        long now = System.currentTimeMillis();
        jdbc.sql("DELETE FROM server_access WHERE server_id = ?").param(serverId).update();
        for (Grant g : grants) {
            jdbc.sql("INSERT INTO server_access (server_id, user_id, level, granted_by, granted_at) VALUES (?, ?, ?, ?, ?)")
                    .params(serverId, g.userId(), g.level().name(), grantedBy, now).update();
        }
        reload();
    }

    @Override
    public boolean seesAll(String userId, String role) {
        return "admin".equals(role);
    }

    @Override
    public Set<String> visibleServers(String userId, String role) {
        return visibleIds(userId, role);
    }

    static String role(Jwt jwt) {
        return jwt.getClaimAsString("role");
    }
}
