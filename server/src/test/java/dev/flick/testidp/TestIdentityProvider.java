package dev.flick.testidp;

import java.nio.file.Files;
import java.util.Map;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * A real OpenID Connect provider for tests: Spring Authorization Server in its own application context on its own
 * port (outside dev.flick.hub, so the hub never scans it), with a login form, two users and one registered client.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class TestIdentityProvider {

    /** Users of the provider: username → (password, email, name). */
    static final Map<String, String[]> USERS = Map.of(
            "grace", new String[] {"grace-password", "grace@idp.example", "Grace Hopper"},
            "ada", new String[] {"ada-password", "ada.idp@idp.example", "Ada Lovelace"});

    @Bean
    UserDetailsService users() {
        InMemoryUserDetailsManager m = new InMemoryUserDetailsManager();
        USERS.forEach((name, v) -> m.createUser(User.withUsername(name).password("{noop}" + v[0]).roles("USER").build()));
        return m;
    }

    /** The id_token (and so user info) carries email, email_verified and name. */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> idTokenClaims() {
        return ctx -> {
            if (!"id_token".equals(ctx.getTokenType().getValue())) return;
            String[] u = USERS.get(ctx.getPrincipal().getName());
            if (u == null) return;
            ctx.getClaims().claim("email", u[1]).claim("email_verified", true).claim("name", u[2]);
        };
    }

    /**
     * Starts the provider on a free port (read it back with {@link #port}) with one client. The redirect URI may be a
     * loopback one without a port: the provider then accepts any port there (RFC 8252 section 7.3), so it can start
     * before the hub whose port is not known yet. Its issuer is the address it is reached at.
     */
    public static ConfigurableApplicationContext start(String clientId, String clientSecret, String redirectUri) throws Exception {
        String client = "spring.security.oauth2.authorizationserver.client.flick.";
        String db = Files.createTempFile("flick-idp", ".db").toString();
        // Command-line arguments outrank the hub's application.yml on the shared classpath, which spring.config.name
        // keeps from being read at all.
        Map<String, Object> settings = Map.ofEntries(
                        Map.entry("spring.config.name", "flick-test-idp"),
                        Map.entry("server.port", 0),
                        Map.entry("server.address", "127.0.0.1"),
                        Map.entry("spring.application.name", "test-idp"),
                        Map.entry("spring.main.banner-mode", "off"),
                        Map.entry("spring.flyway.enabled", "false"),
                        Map.entry("spring.datasource.url", "jdbc:sqlite:" + db),
                        Map.entry("spring.threads.virtual.enabled", "true"),
                        Map.entry("springdoc.api-docs.enabled", "false"),
                        Map.entry("springdoc.swagger-ui.enabled", "false"),
                        Map.entry("management.endpoints.web.exposure.exclude", "*"),
                        Map.entry(client + "registration.client-id", clientId),
                        Map.entry(client + "registration.client-secret", "{noop}" + clientSecret),
                        Map.entry(client + "registration.client-authentication-methods", "client_secret_basic"),
                        Map.entry(client + "registration.authorization-grant-types", "authorization_code"),
                        Map.entry(client + "registration.redirect-uris", redirectUri),
                        Map.entry(client + "registration.scopes", "openid,profile,email"),
                        Map.entry(client + "require-authorization-consent", "false"));
        return new SpringApplicationBuilder(TestIdentityProvider.class)
                .run(settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    public static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
