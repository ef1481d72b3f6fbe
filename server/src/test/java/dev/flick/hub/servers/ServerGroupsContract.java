package dev.flick.hub.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import dev.flick.hub.HubClient;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Overview groups and tags over real HTTP on a real hub (issue 14): create, rename, delete, assign; bad input is a
 * problem naming the field; viewers read but change nothing. Each test stands alone.
 */
abstract class ServerGroupsContract {

    static final String PASSWORD = "correct horse battery";

    @LocalServerPort
    int port;

    HubClient hub() {
        return new HubClient(port);
    }

    private String agent(String token, String name) {
        HubClient.Response r = hub().post("/api/v1/servers", "{\"name\":\"" + name + "\",\"mode\":\"agent\"}", token);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("id").asString();
    }

    private JsonNode group(String token, String name) {
        HubClient.Response r = hub().post("/api/v1/server-groups", "{\"name\":\"" + name + "\"}", token);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    private JsonNode listed(String token, String serverId) {
        for (JsonNode s : hub().get("/api/v1/servers", token).json()) if (serverId.equals(s.path("id").asString())) return s;
        throw new AssertionError("server not listed: " + serverId);
    }

    private static String unique(String prefix) {
        return prefix + " " + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aGroupIsCreatedRenamedAssignedAndDeletedWithItsServersKept() {
        String admin = hub().admin();
        String name = unique("Web");
        JsonNode g = group(admin, name);
        String id = g.path("id").asString();
        assertThat(g.path("name").asString()).isEqualTo(name);
        assertThat(hub().get("/api/v1/server-groups", admin).body()).contains(id).contains(name);

        String server = agent(admin, unique("web-1"));
        HubClient.Response put = hub().put("/api/v1/servers/" + server + "/grouping",
                "{\"groupId\":\"" + id + "\",\"tags\":[\" prod \",\"eu\",\"prod\"]}", admin);
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.json().path("tags").toString()).isEqualTo("[\"eu\",\"prod\"]");
        JsonNode s = listed(admin, server);
        assertThat(s.path("groupId").asString()).isEqualTo(id);
        assertThat(s.path("tags").toString()).isEqualTo("[\"eu\",\"prod\"]");
        assertThat(hub().get("/api/v1/servers/" + server, admin).json().path("groupId").asString()).isEqualTo(id);

        String renamed = unique("Frontends");
        HubClient.Response patch = hub().patch("/api/v1/server-groups/" + id, "{\"name\":\"" + renamed + "\"}", admin);
        assertThat(patch.status()).as(patch.body()).isEqualTo(200);
        assertThat(patch.json().path("name").asString()).isEqualTo(renamed);
        assertThat(hub().get("/api/v1/server-groups", admin).body()).contains(renamed).doesNotContain(name);

        assertThat(hub().delete("/api/v1/server-groups/" + id, admin).status()).isEqualTo(204);
        assertThat(hub().get("/api/v1/server-groups", admin).body()).doesNotContain(id);
        JsonNode after = listed(admin, server);
        assertThat(after.has("groupId")).as("ungrouped once its group is gone").isFalse();
        assertThat(after.path("tags").toString()).isEqualTo("[\"eu\",\"prod\"]");
        assertThat(hub().delete("/api/v1/server-groups/" + id, admin).status()).isEqualTo(404);

        HubClient.Response cleared = hub().put("/api/v1/servers/" + server + "/grouping", "{\"groupId\":null,\"tags\":[]}", admin);
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(listed(admin, server).path("tags").toString()).isEqualTo("[]");
    }

    @Test
    void badInputIsAProblemNamingTheField() {
        String admin = hub().admin();
        HubClient.Response empty = hub().post("/api/v1/server-groups", "{\"name\":\"  \"}", admin);
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(empty.json().path("errors").get(0).path("field").asString()).isEqualTo("name");

        HubClient.Response tooLong = hub().post("/api/v1/server-groups", "{\"name\":\"" + "x".repeat(65) + "\"}", admin);
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().path("errors").get(0).path("field").asString()).isEqualTo("name");

        String name = unique("Databases");
        group(admin, name);
        HubClient.Response twice = hub().post("/api/v1/server-groups", "{\"name\":\"" + name.toUpperCase() + "\"}", admin);
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.json().path("errors").get(0).path("field").asString()).isEqualTo("name");

        String server = agent(admin, unique("db-1"));
        HubClient.Response noGroup = hub().put("/api/v1/servers/" + server + "/grouping", "{\"groupId\":\"nope\"}", admin);
        assertThat(noGroup.status()).isEqualTo(400);
        assertThat(noGroup.json().path("errors").get(0).path("field").asString()).isEqualTo("groupId");

        HubClient.Response badTag = hub().put("/api/v1/servers/" + server + "/grouping", "{\"tags\":[\"ok\",\"a,b\"]}", admin);
        assertThat(badTag.status()).isEqualTo(400);
        assertThat(badTag.json().path("errors").get(0).path("field").asString()).isEqualTo("tags[1]");

        HubClient.Response longTag = hub().put("/api/v1/servers/" + server + "/grouping", "{\"tags\":[\"" + "t".repeat(33) + "\"]}", admin);
        assertThat(longTag.status()).isEqualTo(400);
        assertThat(longTag.json().path("errors").get(0).path("field").asString()).isEqualTo("tags[0]");

        assertThat(hub().patch("/api/v1/server-groups/missing", "{\"name\":\"x\"}", admin).status()).isEqualTo(404);
        assertThat(hub().put("/api/v1/servers/missing/grouping", "{\"tags\":[]}", admin).status()).isEqualTo(404);
        assertThat(listed(admin, server).path("tags").toString()).as("refused input changes nothing").isEqualTo("[]");
    }

    @Test
    void viewersReadGroupsButOnlyAdminsAndMembersChangeThem() {
        String admin = hub().admin();
        String viewer = user("viewer");
        String member = user("member");
        JsonNode g = group(admin, unique("Edge"));
        String id = g.path("id").asString();
        String server = agent(admin, unique("edge-1"));

        assertThat(hub().get("/api/v1/server-groups", viewer).body()).contains(id);
        assertThat(hub().post("/api/v1/server-groups", "{\"name\":\"" + unique("v") + "\"}", viewer).status()).isEqualTo(403);
        assertThat(hub().patch("/api/v1/server-groups/" + id, "{\"name\":\"v\"}", viewer).status()).isEqualTo(403);
        assertThat(hub().delete("/api/v1/server-groups/" + id, viewer).status()).isEqualTo(403);
        assertThat(hub().get("/api/v1/server-groups", admin).body()).contains(g.path("name").asString());

        // A member changes groups and the servers they own, not others'.
        String renamed = unique("Edge by member");
        assertThat(hub().patch("/api/v1/server-groups/" + id, "{\"name\":\"" + renamed + "\"}", member).status()).isEqualTo(200);
        String own = agent(member, unique("member-box"));
        assertThat(hub().put("/api/v1/servers/" + own + "/grouping", "{\"groupId\":\"" + id + "\",\"tags\":[\"lab\"]}", member).status())
                .isEqualTo(200);
        assertThat(listed(member, own).path("groupId").asString()).isEqualTo(id);
        assertThat(hub().put("/api/v1/servers/" + server + "/grouping", "{\"groupId\":\"" + id + "\"}", member).status())
                .as("a server the member may not see").isEqualTo(404);
        assertThat(listed(admin, server).has("groupId")).isFalse();
        List.of(own, server).forEach(s -> assertThat(hub().delete("/api/v1/servers/" + s, admin).status()).isEqualTo(204));
    }

    private String user(String role) {
        String email = role + "-" + UUID.randomUUID() + "@example.com";
        HubClient.Response r = hub().post("/api/v1/users",
                "{\"email\":\"" + email + "\",\"role\":\"" + role + "\",\"password\":\"" + PASSWORD + "\"}", hub().admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        HubClient.Response login = hub().post("/api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}", null);
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        return login.json().get("accessToken").asString();
    }
}
