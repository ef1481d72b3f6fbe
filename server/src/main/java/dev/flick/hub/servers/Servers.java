package dev.flick.hub.servers;

import java.util.Optional;

import dev.flick.collector.HostInfo;

import tools.jackson.databind.ObjectMapper;

import org.springframework.stereotype.Component;

/** What other modules may ask of the servers module. */
@Component
public class Servers {

    private final ServerRepository repository;
    private final ObjectMapper json;
    private final ServerAccess access;

    Servers(ServerRepository repository, ObjectMapper json, ServerAccess access) {
        this.repository = repository;
        this.access = access;
        this.json = json;
    }

    /** The hub's own host as a server of mode local: created on first start, its info refreshed on every start. */
    public synchronized String ensureLocal(HostInfo info) {
        String infoJson = json.writeValueAsString(info);
        Optional<Server> existing = repository.findLocal();
        if (existing.isPresent()) {
            repository.updateInfo(existing.get().id(), infoJson);
            return existing.get().id();
        }
        String id = repository.insert(info.hostname(), "local", infoJson).id();
        access.reload();
        return id;
    }

    /** A server as other modules need it: its id, name and when it was last heard from (null: never). */
    public record Known(String id, String name, Long lastSeen) {}

    public java.util.List<Known> all() {
        return repository.all().stream().map(s -> new Known(s.id(), s.name(), s.lastSeen())).toList();
    }

    public Optional<String> name(String id) {
        return repository.find(id).map(Server::name);
    }

    public boolean exists(String id) {
        return repository.find(id).isPresent();
    }
}
