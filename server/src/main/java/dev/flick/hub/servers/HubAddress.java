package dev.flick.hub.servers;

import dev.flick.hub.api.ApiProblem;
import dev.flick.hub.config.FlickSettings;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Component;

/** The hub's base URL as agents reach it: FLICK_PUBLIC_URL, else the request's own scheme, host and port. */
@Component
class HubAddress {

    private final FlickSettings settings;

    HubAddress(FlickSettings settings) {
        this.settings = settings;
    }

    String base(HttpServletRequest request) {
        String base = settings.publicUrl();
        if (base == null || base.isBlank()) {
            base = request.getScheme() + "://" + request.getServerName()
                    + (request.getServerPort() == 80 || request.getServerPort() == 443 ? "" : ":" + request.getServerPort());
        }
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        // It goes into a shell script between single quotes: nothing that could end them.
        if (!base.matches("https?://[A-Za-z0-9.\\-\\[\\]:_/%]+")) {
            throw ApiProblem.badField("publicUrl", "the hub's address cannot be put into an install command");
        }
        return base;
    }
}
