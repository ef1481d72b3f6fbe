package dev.flick.hub.servers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.flick.hub.api.ApiProblem;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * The overview's groups and tags (issue 14): named groups a server may belong to (at most one), and free-form tags
 * per server, kept as a JSON array on the server row. Input is checked here, so every caller gets the same 400s.
 */
@Repository
class ServerGroups {

    static final int MAX_NAME = 64;
    static final int MAX_TAG = 32;
    static final int MAX_TAGS = 20;

    record Group(String id, String name, long createdAt) {}

    /** A server's place on the overview: its group (or none) and its tags, sorted. */
    record Grouping(String groupId, List<String> tags) {
        static final Grouping NONE = new Grouping(null, List.of());
    }

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    ServerGroups(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    List<Group> all() {
        return jdbc.sql("SELECT id, name, created_at FROM server_groups ORDER BY name")
                .query((rs, n) -> new Group(rs.getString(1), rs.getString(2), rs.getLong(3))).list();
    }

    Optional<Group> find(String id) {
        return jdbc.sql("SELECT id, name, created_at FROM server_groups WHERE id = ?").param(id)
                .query((rs, n) -> new Group(rs.getString(1), rs.getString(2), rs.getLong(3))).optional();
    }

    @Transactional
    Group create(String name) {
        String clean = name(name);
        unique(clean, null);
        Group g = new Group(UUID.randomUUID().toString(), clean, System.currentTimeMillis());
        jdbc.sql("INSERT INTO server_groups (id, name, created_at) VALUES (?, ?, ?)").params(g.id(), g.name(), g.createdAt()).update();
        return g;
    }

    @Transactional
    Group rename(String id, String name) {
        Group g = find(id).orElseThrow(() -> ApiProblem.notFound("Group"));
        String clean = name(name);
        unique(clean, id);
        jdbc.sql("UPDATE server_groups SET name = ? WHERE id = ?").params(clean, id).update();
        return new Group(id, clean, g.createdAt());
    }

    /** Removes the group; its servers stay, ungrouped. */
    @Transactional
    Group delete(String id) {
        Group g = find(id).orElseThrow(() -> ApiProblem.notFound("Group"));
        jdbc.sql("UPDATE servers SET group_id = NULL WHERE group_id = ?").param(id).update();
        jdbc.sql("DELETE FROM server_groups WHERE id = ?").param(id).update();
        return g;
    }

    /** Every server's grouping, for the list (servers with none are absent). */
    Map<String, Grouping> groupings() {
        Map<String, Grouping> out = new HashMap<>();
        jdbc.sql("SELECT id, group_id, tags FROM servers WHERE group_id IS NOT NULL OR tags IS NOT NULL")
                .query(rs -> {
                    out.put(rs.getString(1), new Grouping(rs.getString(2), tags(rs.getString(3))));
                });
        return out;
    }

    Grouping of(String serverId) {
        return jdbc.sql("SELECT group_id, tags FROM servers WHERE id = ?").param(serverId)
                .query((rs, n) -> new Grouping(rs.getString(1), tags(rs.getString(2)))).optional().orElse(Grouping.NONE);
    }

    /** Sets a server's group (null: none) and tags; 400 naming {@code groupId} or {@code tags} for bad input. */
    @Transactional
    Grouping assign(String serverId, String groupId, List<String> tags) {
        String group = groupId == null || groupId.isBlank() ? null : groupId;
        if (group != null && find(group).isEmpty()) throw ApiProblem.badField("groupId", "is not a group");
        List<String> clean = cleanTags(tags);
        jdbc.sql("UPDATE servers SET group_id = ?, tags = ? WHERE id = ?")
                .params(group, clean.isEmpty() ? null : json.writeValueAsString(clean), serverId).update();
        return new Grouping(group, clean);
    }

    static List<String> cleanTags(List<String> tags) {
        if (tags == null) return List.of();
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (int i = 0; i < tags.size(); i++) {
            String t = tags.get(i);
            String field = "tags[" + i + "]";
            if (t == null || t.isBlank()) throw ApiProblem.badField(field, "must not be empty");
            String s = t.strip();
            if (s.length() > MAX_TAG) throw ApiProblem.badField(field, "is longer than " + MAX_TAG + " characters");
            if (s.chars().anyMatch(c -> c == ',' || Character.isISOControl(c))) {
                throw ApiProblem.badField(field, "must not contain commas or control characters");
            }
            out.add(s);
        }
        if (out.size() > MAX_TAGS) throw ApiProblem.badField("tags", "has more than " + MAX_TAGS + " tags");
        List<String> sorted = new ArrayList<>(out);
        sorted.sort(String.CASE_INSENSITIVE_ORDER);
        return List.copyOf(sorted);
    }

    private static String name(String name) {
        if (name == null || name.isBlank()) throw ApiProblem.badField("name", "is required");
        String s = name.strip();
        if (s.length() > MAX_NAME) throw ApiProblem.badField("name", "is longer than " + MAX_NAME + " characters");
        if (s.chars().anyMatch(Character::isISOControl)) throw ApiProblem.badField("name", "must not contain control characters");
        return s;
    }

    private void unique(String name, String exceptId) {
        boolean taken = jdbc.sql("SELECT COUNT(*) FROM server_groups WHERE LOWER(name) = LOWER(?) AND id <> ?")
                .params(name, exceptId == null ? "" : exceptId).query(Long.class).single() > 0;
        if (taken) {
            throw new ApiProblem(HttpStatus.CONFLICT, "name: a group with this name exists",
                    List.of(new ApiProblem.FieldError("name", "a group with this name exists")));
        }
    }

    private List<String> tags(String text) {
        if (text == null || text.isBlank()) return List.of();
        return List.copyOf(json.readValue(text, new TypeReference<List<String>>() {}));
    }
}
