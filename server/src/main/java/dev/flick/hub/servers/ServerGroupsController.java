package dev.flick.hub.servers;

import java.util.List;

import dev.flick.hub.auth.Roles;
import dev.flick.hub.logs.EventLog;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Groups and tags for the overview: everyone signed in reads the groups; admins and members create, rename and
 * delete them, and whoever may manage a server (not a viewer) assigns its group and tags.
 */
@RestController
class ServerGroupsController {

    private final ServerGroups groups;
    private final ServerRepository servers;
    private final ServerAccess access;
    private final EventLog audit;

    ServerGroupsController(ServerGroups groups, ServerRepository servers, ServerAccess access, EventLog audit) {
        this.groups = groups;
        this.servers = servers;
        this.access = access;
        this.audit = audit;
    }

    private record GroupInput(String name) {}

    private record GroupingInput(String groupId, List<String> tags) {}

    @GetMapping("/api/v1/server-groups")
    List<ServerGroups.Group> list() {
        return groups.all();
    }

    @PostMapping("/api/v1/server-groups")
    @ResponseStatus(HttpStatus.CREATED)
    ServerGroups.Group create(@RequestBody(required = false) GroupInput input, @AuthenticationPrincipal Jwt jwt) {
        ServerAccess.requireNotViewer(jwt);
        ServerGroups.Group g = groups.create(input == null ? null : input.name());
        changed(jwt, g, "Server group \"" + g.name() + "\" created");
        return g;
    }

    @PatchMapping("/api/v1/server-groups/{id}")
    ServerGroups.Group rename(@PathVariable String id, @RequestBody(required = false) GroupInput input,
                              @AuthenticationPrincipal Jwt jwt) {
        ServerAccess.requireNotViewer(jwt);
        String before = groups.find(id).map(ServerGroups.Group::name).orElse(null);
        ServerGroups.Group g = groups.rename(id, input == null ? null : input.name());
        changed(jwt, g, "Server group \"" + before + "\" renamed to \"" + g.name() + "\"");
        return g;
    }

    @DeleteMapping("/api/v1/server-groups/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String id, @AuthenticationPrincipal Jwt jwt) {
        ServerAccess.requireNotViewer(jwt);
        ServerGroups.Group g = groups.delete(id);
        changed(jwt, g, "Server group \"" + g.name() + "\" deleted; its servers are ungrouped");
    }

    @GetMapping("/api/v1/servers/{id}/grouping")
    ServerGroups.Grouping grouping(@PathVariable String id, @AuthenticationPrincipal Jwt jwt) {
        access.requireView(jwt, id);
        return groups.of(id);
    }

    /** Replaces the server's group (null or absent: none) and tags (absent: none). */
    @PutMapping("/api/v1/servers/{id}/grouping")
    ServerGroups.Grouping assign(@PathVariable String id, @RequestBody(required = false) GroupingInput input,
                                 @AuthenticationPrincipal Jwt jwt) {
        access.requireManage(jwt, id);
        ServerAccess.requireNotViewer(jwt);
        Server s = servers.find(id).orElseThrow(() -> dev.flick.hub.api.ApiProblem.notFound("Server"));
        ServerGroups.Grouping g = groups.assign(id, input == null ? null : input.groupId(), input == null ? null : input.tags());
        audit.hub("notice", "Server \"" + s.name() + "\" grouping set: group " + (g.groupId() == null ? "none" : g.groupId())
                + ", tags " + g.tags(), Roles.actor(jwt), "server:" + id, id);
        return g;
    }

    private void changed(Jwt jwt, ServerGroups.Group g, String message) {
        audit.hub("notice", message, Roles.actor(jwt), "group:" + g.id(), null);
    }
}
