package dev.flick.hub.servers;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.flick.collector.Snapshot;
import dev.flick.hub.config.SecretCipher;
import dev.flick.hub.api.ApiProblem;
import dev.flick.hub.api.TimeParam;
import dev.flick.hub.config.FlickSettings;
import dev.flick.hub.auth.Roles;
import dev.flick.hub.logs.EventLog;
import dev.flick.hub.metrics.History;
import dev.flick.hub.metrics.Ingest;
import dev.flick.hub.live.LiveHub;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/servers")
class ServersController {

    private static final Logger log = LoggerFactory.getLogger(ServersController.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ServerRepository repository;
    private final CredentialVault vault;
    private final Presence presence;
    private final LiveHub live;
    private final Ingest ingest;
    private final History history;
    private final ApplicationEventPublisher events;
    private final FlickSettings settings;
    private final ObjectMapper json;
    private final ServerAccess access;

    private final EventLog audit;
    private final ClockOffsets clocks;
    private final SshAddresses addresses;
    private final SshConnectThrottle throttle;
    private final InstallCodes installCodes;
    private final HubAddress hubAddress;
    private final ServerGroups groups;

    ServersController(ServerRepository repository, CredentialVault vault, Presence presence, LiveHub live, Ingest ingest,
                      History history, ApplicationEventPublisher events, FlickSettings settings, ObjectMapper json,
                      ServerAccess access, EventLog audit, ClockOffsets clocks, SshAddresses addresses,
                      SshConnectThrottle throttle, InstallCodes installCodes, HubAddress hubAddress, ServerGroups groups) {
        this.groups = groups;
        this.installCodes = installCodes;
        this.hubAddress = hubAddress;
        this.addresses = addresses;
        this.throttle = throttle;
        this.audit = audit;
        this.clocks = clocks;
        this.access = access;
        this.repository = repository;
        this.vault = vault;
        this.presence = presence;
        this.live = live;
        this.ingest = ingest;
        this.history = history;
        this.events = events;
        this.settings = settings;
        this.json = json;
    }

    /**
     * A server as clients see it. SSH credentials never appear, only which kind is stored; agentToken and
     * installCommand (one line with a single-use install code, valid until installExpiresAt) and manualCommand (with
     * the token) only in the response that created the token or asked for a command.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ServerView(String id, String name, String mode, String status, String statusReason, Long lastSeen,
                      String host, Integer port, String username, Boolean hasPassword, Boolean hasKey,
                      String hostKeyFingerprint, String hostKeyOffered, Boolean allowLoopback, JsonNode info,
                      Snapshot latest, String agentToken, String installCommand, Long installExpiresAt, String manualCommand,
                      Long clockOffsetMs, String url, String hostKeyType, String hostKeyOfferedType, String statusReasonCode,
                      Map<String, Object> statusReasonParams, String groupId, List<String> tags) {}

    @GetMapping
    List<ServerView> list(@AuthenticationPrincipal Jwt jwt) {
        java.util.Map<String, ServerGroups.Grouping> groupings = groups.groupings();
        return repository.all().stream().filter(s -> access.canView(jwt.getSubject(), ServerAccess.role(jwt), s.id()))
                .map(s -> view(s, null, null, null, groupings.getOrDefault(s.id(), ServerGroups.Grouping.NONE))).toList();
    }

    @GetMapping("/{id}")
    ServerView one(@PathVariable String id, @AuthenticationPrincipal Jwt jwt) {
        access.requireView(jwt, id);
        return view(find(id), null, null, null);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    ServerView create(@RequestBody(required = false) ServerInput input, @AuthenticationPrincipal Jwt jwt, HttpServletRequest request) {
        mayAddServers(jwt);
        if (input == null) throw ApiProblem.badField("mode", "is required: agent, ssh or prometheus");
        input.validateCreate();
        String id = ServerRepository.newId();
        String name = input.name().strip();
        if (input.mode().equals("agent")) {
            String token = newToken();
            Server s = repository.insertAgent(id, name, Servers.tokenHash(token));
            owned(id, jwt);
            changed(jwt, id, "Server \"" + name + "\" added (agent)");
            return view(s, token, install(request, id), manualCommand(request, token));
        }
        boolean allow = Boolean.TRUE.equals(input.allowLoopback());
        if (allow) onlyAdminsAllowLoopback(jwt);
        if (input.mode().equals("prometheus")) {
            String url = input.scrapeUrl();
            throttle.take(jwt.getSubject());
            vetUrl(url, allow);
            Server s = repository.insertPrometheus(id, name, url, allow);
            owned(id, jwt);
            changed(jwt, id, "Server \"" + name + "\" added (node_exporter at " + url + ")"
                    + (allow ? " with restricted addresses allowed" : ""));
            events.publishEvent(new ServerEvents.ScrapeTargetChanged(id));
            return view(s, null, null, null);
        }
        String host = input.host().strip();
        int port = input.port() == null ? 22 : input.port();
        throttle.take(jwt.getSubject());
        vet(host, port, allow);
        String expected = input.expectedHostKey();
        Server s = repository.insertSsh(id, name, host, port, input.username(), vault.seal(id, input.credentials()), allow, expected);
        owned(id, jwt);
        changed(jwt, id, "Server \"" + name + "\" added (SSH " + s.username() + "@" + s.host() + ":" + s.port() + ")"
                + (allow ? " with restricted addresses allowed" : "")
                + (expected == null ? "; its host key waits for confirmation" : " expecting host key " + expected));
        events.publishEvent(new ServerEvents.SshTargetChanged(id));
        return view(s, null, null, null);
    }

    @PatchMapping("/{id}")
    ServerView edit(@PathVariable String id, @RequestBody(required = false) ServerInput input, @AuthenticationPrincipal Jwt jwt) {
        access.requireManage(jwt, id);
        Server s = find(id);
        if (input == null) return view(s, null, null, null);
        input.validatePatch(s.mode());
        if (input.name() != null) {
            repository.rename(id, input.name().strip());
            changed(jwt, id, "Renamed from \"" + s.name() + "\" to \"" + input.name().strip() + "\"");
        }
        if ("prometheus".equals(s.mode()) && (input.url() != null || input.allowLoopback() != null)) {
            if (input.allowLoopback() != null && input.allowLoopback() != s.allowLoopback()) onlyAdminsAllowLoopback(jwt);
            String url = input.url() == null ? s.scrapeUrl() : input.scrapeUrl();
            boolean moved = !url.equals(s.scrapeUrl());
            boolean allow = input.allowLoopback() != null ? input.allowLoopback() : !moved && s.allowLoopback();
            throttle.take(jwt.getSubject());
            vetUrl(url, allow);
            repository.moveScrape(id, url, allow);
            if (moved) changed(jwt, id, "node_exporter URL moved from " + s.scrapeUrl() + " to " + url + " by " + Roles.actor(jwt));
            if (allow != s.allowLoopback()) {
                changed(jwt, id, allow ? "Restricted addresses (loopback, link-local, the hub's own) allowed for " + url
                        : "Restricted addresses no longer allowed");
            }
            presence.pending(id, (String) null);
            events.publishEvent(new ServerEvents.ScrapeTargetChanged(id));
        }
        boolean sshChanged = false;
        if ("ssh".equals(s.mode()) && (input.host() != null || input.port() != null || input.username() != null
                || input.replacesCredentials() || input.allowLoopback() != null)) {
            if (input.allowLoopback() != null && input.allowLoopback() != s.allowLoopback()) onlyAdminsAllowLoopback(jwt);
            String host = input.host() == null ? s.host() : input.host().strip();
            int port = input.port() != null ? input.port() : s.port() == null ? 22 : s.port();
            String username = input.username() == null ? s.username() : input.username();
            boolean moved = !host.equals(s.host()) || s.port() == null || port != s.port();
            boolean targetChanged = moved || !username.equals(s.username());
            // An admin's allowance was for the old address: a move drops it unless the same request gives it again.
            boolean allow = input.allowLoopback() != null ? input.allowLoopback() : !moved && s.allowLoopback();
            throttle.take(jwt.getSubject());
            vet(host, port, allow);
            String from = s.username() + "@" + s.host() + ":" + s.port();
            String to = username + "@" + host + ":" + port;
            if (targetChanged) {
                // Credentials never follow a moved server: they go where they were given for, or nowhere.
                byte[] credentials = input.replacesCredentials() ? vault.seal(id, input.credentials()) : null;
                repository.moveTarget(id, host, port, username, credentials, moved, allow);
                changed(jwt, id, "SSH target moved from " + from + " to " + to + " by " + Roles.actor(jwt)
                        + (credentials == null ? "; the stored credentials were discarded (enter them again)" : "; new credentials given")
                        + (moved ? "; the host key will be confirmed again on first connection" : ""));
            } else if (input.replacesCredentials()) {
                repository.updateCredentials(id, vault.seal(id, input.credentials()));
                changed(jwt, id, "SSH credentials replaced");
            }
            if (allow != s.allowLoopback()) {
                if (!targetChanged) repository.setAllowLoopback(id, allow);
                changed(jwt, id, allow ? "Restricted SSH addresses (loopback, link-local, the hub's own) allowed for " + to
                        : "Restricted SSH addresses no longer allowed");
            }
            sshChanged = true;
        }
        if (sshChanged) {
            presence.pending(id, (String) null);
            events.publishEvent(new ServerEvents.SshTargetChanged(id));
        }
        return view(find(id), null, null, null);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String id, @AuthenticationPrincipal Jwt jwt) {
        access.requireManage(jwt, id);
        Server s = find(id);
        if ("local".equals(s.mode())) {
            throw new ApiProblem(HttpStatus.CONFLICT, "The hub's own host is not removed this way (set flick.local-collector=false)");
        }
        // Revoke first: the token hash and credentials go with the row, then collectors let go, then the data.
        repository.delete(id);
        access.reload();
        events.publishEvent(new ServerEvents.Removed(id));
        presence.forget(id);
        try {
            ingest.remove(id).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Server {} was removed but deleting its stored metrics did not finish: {}", id, e.toString());
        }
        changed(jwt, id, "Server \"" + s.name() + "\" removed with its metrics");
    }

    @PostMapping("/{id}/token")
    ServerView regenerateToken(@PathVariable String id, @AuthenticationPrincipal Jwt jwt, HttpServletRequest request) {
        access.requireManage(jwt, id);
        Server s = find(id);
        if (!"agent".equals(s.mode())) throw new ApiProblem(HttpStatus.CONFLICT, "Only agent servers have a token");
        String token = newToken();
        repository.updateTokenHash(id, Servers.tokenHash(token));
        events.publishEvent(new ServerEvents.AgentTokenRevoked(id));
        changed(jwt, id, "Agent token regenerated; the old one is revoked");
        return view(find(id), token, install(request, id), manualCommand(request, token));
    }

    /** fingerprint: the offered key the admin compared (required to confirm a first key; else the one offered now). */
    record HostKeyDecision(String fingerprint) {}

    /** Trusts the offered host key: a first one (then collection starts) or a changed one. */
    @PostMapping("/{id}/host-key/accept")
    ServerView acceptHostKey(@PathVariable String id, @RequestBody(required = false) HostKeyDecision body,
                             @AuthenticationPrincipal Jwt jwt) {
        access.requireManage(jwt, id);
        Server s = offered(id, body, "accepted");
        throttle.take(jwt.getSubject());
        if (!repository.acceptOfferedHostKey(id, s.hostKeyOffered())) throw offeredAgain();
        changed(jwt, id, s.hostKeyFingerprint() == null
                ? "SSH host key " + s.hostKeyOfferedType() + " " + s.hostKeyOffered() + " confirmed"
                : "New SSH host key " + s.hostKeyOffered() + " accepted (was " + s.hostKeyFingerprint() + ")");
        presence.pending(id, (String) null);
        events.publishEvent(new ServerEvents.SshTargetChanged(id));
        return view(find(id), null, null, null);
    }

    /** Refuses the offered host key: FLick does not log in there (a trusted key, if any, stays trusted). */
    @PostMapping("/{id}/host-key/reject")
    ServerView rejectHostKey(@PathVariable String id, @RequestBody(required = false) HostKeyDecision body,
                             @AuthenticationPrincipal Jwt jwt) {
        access.requireManage(jwt, id);
        Server s = offered(id, body, "rejected");
        if (!repository.rejectOfferedHostKey(id, s.hostKeyOffered())) throw offeredAgain();
        changed(jwt, id, "SSH host key " + s.hostKeyOffered() + " rejected");
        presence.error(id, StatusReason.of(StatusReason.Code.SSH_HOST_KEY_REJECTED, Map.of("presented", s.hostKeyOffered()),
                "The host key " + s.hostKeyOffered() + " was rejected: FLick does not log in to this server. "
                + "Check its address, then edit it to try again, or remove it."));
        return view(find(id), null, null, null);
    }

    /** The SSH server with a key on offer, checked against the fingerprint the admin saw. */
    private Server offered(String id, HostKeyDecision body, String verb) {
        Server s = find(id);
        if (!"ssh".equals(s.mode())) throw new ApiProblem(HttpStatus.CONFLICT, "Only SSH servers have a host key");
        if (s.hostKeyOffered() == null) throw new ApiProblem(HttpStatus.CONFLICT, "No host key is waiting to be " + verb);
        String named = body == null ? null : body.fingerprint();
        if (named == null && s.hostKeyFingerprint() == null) {
            throw ApiProblem.badField("fingerprint", "is required: the fingerprint you compared with the server's own");
        }
        if (named != null && !named.equals(s.hostKeyOffered())) throw offeredAgain();
        return s;
    }

    private static ApiProblem offeredAgain() {
        return new ApiProblem(HttpStatus.CONFLICT, "The host key changed again; review the new fingerprint first",
                List.of(new ApiProblem.FieldError("fingerprint", "is no longer the one offered")));
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

    /** The server's containers at a moment (docs/history-api.md): now by default. */
    @GetMapping("/{id}/containers")
    History.ContainersAt containers(@PathVariable String id, @RequestParam(required = false) String at,
                                    @AuthenticationPrincipal Jwt jwt) {
        access.requireView(jwt, id);
        find(id);
        long atMs = TimeParam.instant("at", at, System.currentTimeMillis());
        return history.containersAt(id, atMs).orElseThrow(() -> ApiProblem.notFound("Stored containers near that time"));
    }

    private Server find(String id) {
        return repository.find(id).orElseThrow(() -> ApiProblem.notFound("Server"));
    }

    /** A new server belongs to whoever added it; the access rules learn of it at once. */
    private void owned(String id, Jwt jwt) {
        repository.setOwner(id, jwt.getSubject());
        access.reload();
    }

    /** A change to a server: the hub's log and its event log (actor, target, time), never a credential. */
    private void changed(Jwt jwt, String id, String message) {
        log.info("Server {}: {}", id, message);
        audit.hub("notice", message, Roles.actor(jwt), "server:" + id, id);
    }

    /** Viewers watch; admins and members add servers (and change those they own or manage). */
    private static void mayAddServers(Jwt jwt) {
        String role = jwt == null ? null : jwt.getClaimAsString("role");
        if (!"admin".equals(role) && !"member".equals(role)) throw ApiProblem.forbidden("Only admins and members add servers");
    }

    private static void onlyAdminsAllowLoopback(Jwt jwt) {
        if (!"admin".equals(ServerAccess.role(jwt))) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "Only an admin may allow restricted SSH addresses",
                    List.of(new ApiProblem.FieldError("allowLoopback", "only an admin may set this")));
        }
    }

    /**
     * 400 naming the host when it resolves to an address SSH servers may not use. A name that does not resolve now
     * is kept: the collector resolves and checks again before every connection and reports it as the status.
     */
    private void vet(String host, int port, boolean allow) {
        try {
            addresses.vet(host, port, allow);
        } catch (java.net.UnknownHostException notYet) {
            // checked again at connect time
        } catch (SshAddresses.Refused e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "host: " + e.getMessage(),
                    List.of(new ApiProblem.FieldError("host", e.getMessage())));
        }
    }

    /** Like {@link #vet} for a node_exporter URL: 400 naming {@code url}. */
    private void vetUrl(String url, boolean allow) {
        java.net.URI u = java.net.URI.create(url);
        int port = u.getPort() > 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
        try {
            addresses.vet(u.getHost(), port, allow, "node_exporter URLs");
        } catch (java.net.UnknownHostException notYet) {
            // checked again before every scrape
        } catch (SshAddresses.Refused e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "url: " + e.getMessage(),
                    List.of(new ApiProblem.FieldError("url", e.getMessage())));
        }
    }

    /** 32 random bytes, URL-safe; the "flk_" prefix lets secret scanners recognise a leaked one. */
    private static String newToken() {
        return AgentTokens.newToken();
    }

    /**
     * The one-line install (docs/agent.md): a single-use install code in the URL, never the token, so shell history
     * keeps only a spent code; the script trades it for a fresh token written to a root-only file.
     */
    private Install install(HttpServletRequest request, String serverId) {
        InstallCodes.Issued issued = installCodes.issue(serverId);
        return new Install("curl -fsSL '" + hubAddress.base(request) + "/install.sh?code=" + issued.code() + "' | sudo sh",
                issued.expiresAt());
    }

    /**
     * The manual way, for a host without systemd: the token in the environment (argv shows in ps). No JVM flags: the
     * agent starts itself once more with its measured ones (docs/agent.md, "Run it").
     */
    private String manualCommand(HttpServletRequest request, String token) {
        return "FLICK_TOKEN=" + token + " java -jar flick-agent.jar --hub " + hubAddress.base(request);
    }

    record Install(String command, long expiresAt) {}

    /** A fresh install command for an agent server (its token changes only when the script redeems the code). */
    @PostMapping("/{id}/install")
    ServerView installCommand(@PathVariable String id, @AuthenticationPrincipal Jwt jwt, HttpServletRequest request) {
        access.requireManage(jwt, id);
        Server s = find(id);
        if (!"agent".equals(s.mode())) throw new ApiProblem(HttpStatus.CONFLICT, "Only agent servers are installed with a command");
        return view(s, null, install(request, id), null);
    }

    private ServerView view(Server s, String agentToken, Install install, String manualCommand) {
        return view(s, agentToken, install, manualCommand, groups.of(s.id()));
    }

    private ServerView view(Server s, String agentToken, Install install, String manualCommand, ServerGroups.Grouping grouping) {
        JsonNode info = s.infoJson() == null ? null : json.readTree(s.infoJson());
        String status = presence.status(s.id(), s.status());
        Boolean hasPassword = null, hasKey = null;
        if ("ssh".equals(s.mode())) {
            hasPassword = false;
            hasKey = false;
            byte[] sealed = repository.credentials(s.id());
            if (sealed != null) {
                try {
                    SshCredentials c = vault.open(s.id(), sealed);
                    hasPassword = c.hasPassword();
                    hasKey = c.hasKey();
                } catch (SecretCipher.Undecryptable e) {
                    // shown as neither; the collector reports the reason as the server's status
                }
            }
        }
        String reason = "online".equals(status) ? null : presence.reason(s.id(), s.statusReason());
        StatusReason coded = reason == null ? null : presence.codedReason(s.id());
        return new ServerView(s.id(), s.name(), s.mode(), status, reason, presence.lastSeen(s.id(), s.lastSeen()),
                s.host(), s.port(), s.username(), hasPassword, hasKey, s.hostKeyFingerprint(), s.hostKeyOffered(),
                "ssh".equals(s.mode()) || "prometheus".equals(s.mode()) ? s.allowLoopback() : null, info,
                live.latest(s.id()).orElse(null), agentToken, install == null ? null : install.command(),
                install == null ? null : install.expiresAt(), manualCommand,
                "agent".equals(s.mode()) && clocks.of(s.id()).isPresent() ? clocks.of(s.id()).getAsLong() : null,
                "prometheus".equals(s.mode()) ? s.scrapeUrl() : null, s.hostKeyType(), s.hostKeyOfferedType(),
                coded == null ? null : coded.code().code(), coded == null ? null : coded.params(), grouping.groupId(), grouping.tags());
    }
}
