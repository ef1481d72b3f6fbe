package dev.flick.hub.notify;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Links back into FLick: the server's page at the moment an alert fired. */
@Component
class PublicLinks {

    private final NotifySettings settings;
    private final Environment env;

    PublicLinks(NotifySettings settings, Environment env) {
        this.settings = settings;
        this.env = env;
    }

    String base() {
        String url = settings.publicUrl();
        if (url != null && !url.isBlank()) return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        String host = env.getProperty("server.address", "127.0.0.1");
        String port = env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    String moment(String serverId, long ts) {
        return base() + "/#/servers/" + URLEncoder.encode(serverId, StandardCharsets.UTF_8) + "?at=" + ts;
    }
}
