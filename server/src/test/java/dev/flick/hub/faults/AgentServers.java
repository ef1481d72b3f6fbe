package dev.flick.hub.faults;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import dev.flick.hub.HubClient;
import dev.flick.hub.collect.AgentProcess;

import tools.jackson.databind.JsonNode;

/** Agent-mode servers on a hub, and the real agent processes that speak for them. */
final class AgentServers {

    private AgentServers() {}

    record AgentServer(String id, String token) {}

    static AgentServer create(HubClient client, String admin, String name) {
        HubClient.Response r = client.post("/api/v1/servers", "{\"name\":\"" + name + "\",\"mode\":\"agent\"}", admin);
        if (r.status() != 200 && r.status() != 201) throw new IllegalStateException("create server: " + r.status() + " " + r.body());
        JsonNode created = r.json();
        return new AgentServer(created.get("id").asString(), created.get("agentToken").asString());
    }

    /** An agent at a 1 s interval for the server, system logs off (they are not what these tests store). */
    static AgentProcess agent(HubProcess hub, AgentServer server, Map<String, String> env, String... extra) throws IOException {
        return agent(hub, server, "1s", env, extra);
    }

    static AgentProcess agent(HubProcess hub, AgentServer server, String interval, Map<String, String> env, String... extra)
            throws IOException {
        String[] args = new String[extra.length + 2];
        args[0] = "--logs";
        args[1] = "off";
        System.arraycopy(extra, 0, args, 2, extra.length);
        return new AgentProcess(hub.client().base(), server.token(), interval, env, args);
    }

    /** GET /api/v1/servers/{id}, or null when the hub does not answer 200. */
    static JsonNode server(HubClient client, String admin, String id) {
        HubClient.Response r = client.get("/api/v1/servers/" + id, admin);
        return r.status() == 200 ? r.json() : null;
    }

    static boolean online(HubClient client, String admin, String id) {
        JsonNode s = server(client, admin, id);
        return s != null && s.get("status") != null && "online".equals(s.get("status").asString());
    }

    /** The hub's and the agents' last lines, for a failure message. */
    static String diagnostics(HubProcess hub, List<AgentProcess> agents) {
        StringBuilder out = new StringBuilder("--- hub (pid ").append(hub.alive() ? hub.pid() : -1).append(") ---\n").append(hub.tail());
        for (AgentProcess a : agents) {
            List<String> lines = a.output().lines().toList();
            out.append("\n--- agent ").append(a.alive() ? "pid " + a.pid() : "(exited)").append(" ---\n")
                    .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        }
        return out.toString();
    }
}
