package dev.flick.hub.servers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.flick.hub.api.ApiProblem;
import dev.flick.hub.logs.EventLog;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Adding an agent in one step (docs/agent.md): the agent's jar, the install script for an install code, and the
 * script's trade of that code for the agent's token. Open paths: the code is the credential, single use, 15 minutes.
 */
@RestController
class AgentInstallController {

    static final String UNIT = "agent/flick-agent.service";
    private static final String SCRIPT = "agent/install.sh";
    private static final String JAR = "agent/flick-agent.jar";

    private final InstallCodes codes;
    private final ServerRepository repository;
    private final ApplicationEventPublisher events;
    private final EventLog audit;
    private final HubAddress address;
    private final String jarPath;

    AgentInstallController(InstallCodes codes, ServerRepository repository, ApplicationEventPublisher events, EventLog audit,
                           HubAddress address, @Value("${flick.agent.jar:}") String jarPath) {
        this.codes = codes;
        this.repository = repository;
        this.events = events;
        this.audit = audit;
        this.address = address;
        this.jarPath = jarPath;
    }

    /** The agent's shaded jar: FLICK_AGENT_JAR when set, else the one built into the hub. */
    @GetMapping("/agent/flick-agent.jar")
    ResponseEntity<Resource> jar() {
        Resource jar = jarPath.isBlank() ? new ClassPathResource(JAR) : new FileSystemResource(Path.of(jarPath));
        if (!jar.exists()) throw new ApiProblem(HttpStatus.NOT_FOUND, "This hub was built without the agent's jar (see docs/agent.md)");
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"flick-agent.jar\"")
                .cacheControl(CacheControl.noCache())
                .contentType(MediaType.parseMediaType("application/java-archive"))
                .body(jar);
    }

    /** The install script for one install code; 410 once the code is spent or expired, so the pipe runs nothing. */
    @GetMapping(value = "/install.sh", produces = "text/x-shellscript")
    ResponseEntity<String> script(@RequestParam(required = false) String code, HttpServletRequest request) {
        if (code == null || code.isBlank()) throw ApiProblem.badField("code", "is required: copy the command from FLick's add-agent dialog");
        if (!code.matches("[A-Za-z0-9_-]{16,64}") || !codes.valid(code)) {
            throw new ApiProblem(HttpStatus.GONE, "This install code is used or expired: make a new one in FLick");
        }
        String script = resource(SCRIPT).replace("@UNIT@", resource(UNIT).strip()).replace("@HUB@", address.base(request))
                .replace("@CODE@", code);
        return ResponseEntity.ok().cacheControl(CacheControl.noStore())
                .contentType(new MediaType("text", "x-shellscript", StandardCharsets.UTF_8)).body(script);
    }

    /**
     * The script's trade: the code (form field, read from stdin by curl) for a fresh agent token, answered as plain
     * text straight into the 0600 file. Any earlier token of the server stops working (its socket is closed).
     */
    @PostMapping(value = "/agent/token", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> token(@RequestParam(required = false) String code, HttpServletRequest request) {
        String serverId = codes.redeem(code).orElseThrow(() ->
                new ApiProblem(HttpStatus.GONE, "This install code is used or expired: make a new one in FLick"));
        Server s = repository.find(serverId).filter(x -> "agent".equals(x.mode())).orElseThrow(() ->
                new ApiProblem(HttpStatus.GONE, "This install code is used or expired: make a new one in FLick"));
        String token = AgentTokens.newToken();
        repository.updateTokenHash(serverId, Servers.tokenHash(token));
        events.publishEvent(new ServerEvents.AgentTokenRevoked(serverId));
        audit.hub("info", "Agent installed on \"" + s.name() + "\" from " + request.getRemoteAddr() + " with an install code",
                null, "server:" + serverId, serverId);
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).contentType(MediaType.TEXT_PLAIN).body(token + "\n");
    }

    static String resource(String path) {
        try (InputStream in = new ClassPathResource(path).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(path + " is missing from the hub", e);
        }
    }

    static boolean bundledJar(String jarPath) {
        return jarPath.isBlank() ? new ClassPathResource(JAR).exists() : Files.isRegularFile(Path.of(jarPath));
    }
}
