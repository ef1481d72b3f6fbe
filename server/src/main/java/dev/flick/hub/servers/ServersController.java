package dev.flick.hub.servers;

import java.util.List;

import dev.flick.collector.Snapshot;
import dev.flick.hub.api.ApiProblem;
import dev.flick.hub.api.TimeParam;
import dev.flick.hub.metrics.History;
import dev.flick.hub.metrics.LiveHub;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/servers")
class ServersController {

    private final ServerRepository repository;
    private final Presence presence;
    private final LiveHub live;
    private final History history;
    private final ObjectMapper json;
    private final ServerAccess access;

    ServersController(ServerRepository repository, Presence presence, LiveHub live, History history, ObjectMapper json,
                      ServerAccess access) {
        this.access = access;
        this.repository = repository;
        this.presence = presence;
        this.live = live;
        this.history = history;
        this.json = json;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ServerView(String id, String name, String mode, String status, String statusReason, Long lastSeen,
                      String host, Integer port, JsonNode info, Snapshot latest) {}

    @GetMapping
    List<ServerView> list(@AuthenticationPrincipal Jwt jwt) {
        return repository.all().stream().filter(s -> access.canView(jwt.getSubject(), ServerAccess.role(jwt), s.id()))
                .map(this::view).toList();
    }

    @GetMapping("/{id}")
    ServerView one(@PathVariable String id, @AuthenticationPrincipal Jwt jwt) {
        access.requireView(jwt, id);
        return view(find(id));
    }

    @GetMapping("/{id}/metrics")
    History.Points metrics(@PathVariable String id,
                           @RequestParam(required = false) String from,
                           @RequestParam(required = false) String to,
                           @RequestParam(required = false) String step,
                           @AuthenticationPrincipal Jwt jwt) {
        access.requireView(jwt, id);
        find(id);
        long now = System.currentTimeMillis();
        long toMs = TimeParam.instant("to", to, now);
        long fromMs = TimeParam.instant("from", from, toMs - 3_600_000);
        long stepMs = TimeParam.duration("step", step, 0);
        if (fromMs >= toMs) throw ApiProblem.badField("from", "must be before to");
        if (toMs - fromMs > 400L * 86_400_000 * 5) throw ApiProblem.badField("from", "range is longer than 5 years");
        return history.metrics(id, fromMs, toMs, stepMs);
    }

    @GetMapping("/{id}/processes")
    History.ProcessesAt processes(@PathVariable String id, @RequestParam(required = false) String at,
                                  @AuthenticationPrincipal Jwt jwt) {
        access.requireView(jwt, id);
        find(id);
        long atMs = TimeParam.instant("at", at, System.currentTimeMillis());
        return history.processesAt(id, atMs).orElseThrow(() -> ApiProblem.notFound("Stored processes near that time"));
    }

    private Server find(String id) {
        return repository.find(id).orElseThrow(() -> ApiProblem.notFound("Server"));
    }

    private ServerView view(Server s) {
        JsonNode info = s.infoJson() == null ? null : json.readTree(s.infoJson());
        String status = presence.status(s.id(), s.status());
        return new ServerView(s.id(), s.name(), s.mode(), status, "online".equals(status) ? null : s.statusReason(),
                presence.lastSeen(s.id(), s.lastSeen()), s.host(), s.port(), info, live.latest(s.id()).orElse(null));
    }
}
