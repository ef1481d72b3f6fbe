package dev.flick.hub.notify;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import tools.jackson.databind.ObjectMapper;

import jakarta.annotation.PreDestroy;

import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.springframework.stereotype.Component;

/**
 * HTTP delivery for every kind but email: one request as the service documents it ({@link ServiceRequest}), connect and response timeouts, no redirects followed, no automatic retries
 * (the delivery log retries), and the response body is never read into anything shown or stored.
 * Targets are vetted after DNS resolution and the connection goes to the vetted address ({@link WebhookAddresses}).
 */
@Component
class WebhookSender {

    private final CloseableHttpClient guarded;
    private final CloseableHttpClient open;
    private final NotifySettings settings;
    private final ObjectMapper json;
    private final PublicLinks links;

    private final RecipientLanguage languages;

    /** Without accounts (tests of the senders alone): every channel in English. */
    WebhookSender(NotifySettings settings, ObjectMapper json, PublicLinks links) {
        this(settings, json, links, new RecipientLanguage(null));
    }

    @org.springframework.beans.factory.annotation.Autowired
    WebhookSender(NotifySettings settings, ObjectMapper json, PublicLinks links, RecipientLanguage languages) {
        this.languages = languages;
        this.settings = settings;
        this.json = json;
        this.links = links;
        this.guarded = client(new WebhookAddresses.GuardedResolver());
        this.open = client(SystemDefaultDnsResolver.INSTANCE);
    }

    private CloseableHttpClient client(DnsResolver resolver) {
        Timeout connect = Timeout.of(settings.connectTimeout());
        Timeout read = Timeout.of(settings.readTimeout());
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(resolver)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(connect).setSocketTimeout(read).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(read).setConnectionRequestTimeout(connect).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .setUserAgent("FLick-webhook/1")
                .build();
    }

    /** Why a URL is not an acceptable webhook target as typed (bad form, or a literal refused address), or empty. */
    static Optional<String> invalid(String url, boolean allowPrivate) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            return Optional.of("is not a valid URL");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))) {
            return Optional.of("must be an http:// or https:// URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) return Optional.of("must name a host");
        if (uri.getRawUserInfo() != null) return Optional.of("must not carry a user name or password before the host");
        if (!allowPrivate) {
            Optional<InetAddress> literal = literal(uri.getHost());
            if (literal.isPresent()) {
                Optional<String> why = WebhookAddresses.refusal(literal.get());
                if (why.isPresent()) return Optional.of("is " + why.get() + " (only an admin may allow private targets)");
            }
        }
        return Optional.empty();
    }

    private static Optional<InetAddress> literal(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        boolean v4 = h.matches("[0-9.]+");
        boolean v6 = h.contains(":");
        if (!v4 && !v6) return Optional.empty();
        try {
            return Optional.of(InetAddress.getByName(h)); // a literal: parsed, never looked up
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Sends a notice through an HTTP channel of any kind: the request its service documents, to a vetted target. */
    Outcome send(Channel channel, Notice notice) {
        boolean allowPrivate = channel.allowPrivate() || settings.webhookAllowPrivate();
        String link = notice.serverId() == null ? links.base() : links.moment(notice.serverId(), notice.ts());
        ServiceRequest req;
        try {
            req = ServiceRequest.of(channel, notice, link, json, languages.of(channel));
        } catch (IllegalArgumentException e) {
            return Outcome.failed(scrub(String.valueOf(e.getMessage()), channel));
        }
        Optional<String> bad = invalid(req.uri().toString(), allowPrivate);
        if (bad.isPresent()) return Outcome.failed(scrub("refused: the URL " + bad.get(), channel));
        HttpUriRequestBase http = new HttpUriRequestBase(req.method(), req.uri());
        req.headers().forEach(http::setHeader);
        http.setEntity(new StringEntity(req.body(), ContentType.parse(req.contentType()).withCharset(StandardCharsets.UTF_8)));
        try {
            int status = (allowPrivate ? open : guarded).execute(http, response -> {
                // Read and discard: the body may hold anything, and none of it is ever shown or stored.
                if (response.getEntity() != null) response.getEntity().getContent().skip(64 * 1024);
                return response.getCode();
            });
            if (status >= 200 && status < 300) return new Outcome.Delivered();
            if (status >= 300 && status < 400) return Outcome.failed("HTTP " + status + ": redirects are not followed");
            return Outcome.failed("HTTP " + status);
        } catch (WebhookAddresses.Refused e) {
            return Outcome.failed(e.getMessage());
        } catch (IOException e) {
            return Outcome.failed(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + scrub(e.getMessage(), channel)));
        }
    }

    /** Exception texts may quote the URL or a token; secret URLs keep scheme and host only, other secrets go. */
    static String scrub(String message, Channel channel) {
        String out = message;
        for (var e : channel.secrets().entrySet()) {
            if (e.getValue() == null || e.getValue().isEmpty()) continue;
            out = out.replace(e.getValue(), e.getKey().equals("url") ? Channel.mask(e.getValue()) : "…");
        }
        for (String v : channel.headers().values()) if (!v.isEmpty()) out = out.replace(v, "…");
        return out;
    }

    @PreDestroy
    void close() throws IOException {
        guarded.close();
        open.close();
    }
}
