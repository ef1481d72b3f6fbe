package dev.flick.hub.auth;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.jwk.source.ImmutableSecret;

import dev.flick.hub.config.DataDir;
import dev.flick.hub.config.FlickSettings;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * Authenticated by default: only the sign-in steps, health, the docs and the web client are open. The social
 * sign-in redirects have their own chain.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

    /**
     * The social sign-in flow, confined to its own paths: the browser is redirected to the provider and back. The
     * pending request lives in the hub's memory bound to a path-scoped cookie (OAuthRequests), not in a session.
     */
    @Bean
    @Order(1)
    SecurityFilterChain socialSignInChain(HttpSecurity http, SocialProviders providers, SocialSignIn signIn) throws Exception {
        OAuthRequests requests = new OAuthRequests();
        http.securityMatcher("/oauth2/**", "/login/oauth2/**")
                .csrf(c -> c.disable()) // the state parameter and the browser-binding cookie protect the flow
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(r -> r.disable())
                .headers(h -> h.referrerPolicy(r -> r.policy(ReferrerPolicy.NO_REFERRER)))
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .oauth2Login(o -> o
                        .clientRegistrationRepository(providers)
                        .authorizationEndpoint(e -> e.authorizationRequestRepository(requests)
                                .authorizationRequestResolver(signIn.resolver(providers)))
                        .successHandler(signIn)
                        .failureHandler(signIn));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain api(HttpSecurity http, JwtDecoder jwtDecoder,
                            org.springframework.beans.factory.ObjectProvider<ApiTokenLookup> apiTokens) throws Exception {
        http.csrf(c -> c.disable()) // bearer tokens; the refresh cookie is SameSite=Strict and path-scoped
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(r -> r.disable())
                .formLogin(f -> f.disable())
                .httpBasic(b -> b.disable())
                .logout(l -> l.disable())
                .headers(h -> h.referrerPolicy(r -> r.policy(ReferrerPolicy.NO_REFERRER)).contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                + "script-src 'self'; worker-src 'self'; manifest-src 'self'; frame-ancestors 'none'")))
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/api/v1/auth/status", "/api/v1/auth/setup", "/api/v1/auth/login",
                                "/api/v1/auth/login/totp", "/api/v1/auth/exchange", "/api/v1/auth/password/set",
                                "/api/v1/auth/refresh", "/api/v1/auth/logout").permitAll()
                        .requestMatchers("/api/v1/ws", "/api/v1/agent").permitAll() // authenticated by their first message
                        .requestMatchers("/api/v1/openapi.json", "/api/v1/openapi.json/**", "/api/v1/docs", "/api/v1/docs/**",
                                "/api/v1/swagger-ui/**").permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/actuator/**").access(org.springframework.security.authorization.AuthorizationManagers.allOf(
                                org.springframework.security.authorization.AuthorityAuthorizationManager.hasRole("admin"),
                                ApiTokenScope::check)) // metrics and prometheus describe the whole hub
                        .requestMatchers("/api/**", "/metrics").access(ApiTokenScope::check)
                        .anyRequest().permitAll())
                .oauth2ResourceServer(o -> o.authenticationManagerResolver(request -> bearer(jwtDecoder, apiTokens))
                        .authenticationEntryPoint(problem(HttpStatus.UNAUTHORIZED, "A valid access token is required"))
                        .accessDeniedHandler(denied()))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint(problem(HttpStatus.UNAUTHORIZED, "A valid access token is required"))
                        .accessDeniedHandler(denied()));
        return http.build();
    }

    /** Access tokens (JWTs) and API tokens ({@code flk_…}) as bearer tokens; an API token's grant becomes claims. */
    private static org.springframework.security.authentication.AuthenticationManager bearer(JwtDecoder decoder,
            org.springframework.beans.factory.ObjectProvider<ApiTokenLookup> apiTokens) {
        var jwt = new org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider(decoder);
        jwt.setJwtAuthenticationConverter(roleAuthorities());
        return authentication -> {
            if (authentication instanceof org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken b
                    && b.getToken().startsWith(ApiTokenLookup.PREFIX)) {
                ApiTokenLookup lookup = apiTokens.getIfAvailable();
                ApiTokenLookup.Grant grant = lookup == null ? null : lookup.find(b.getToken()).orElse(null);
                if (grant == null) {
                    throw new org.springframework.security.oauth2.server.resource.InvalidBearerTokenException("Unknown, revoked or expired API token");
                }
                return ApiTokenScope.authentication(grant);
            }
            return jwt.authenticate(authentication);
        };
    }

    /** The token's {@code role} claim as ROLE_admin / ROLE_member / ROLE_viewer, so actuator can tell admins apart. */
    private static org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter roleAuthorities() {
        var authorities = new org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter();
        authorities.setAuthoritiesClaimName("role");
        authorities.setAuthorityPrefix("ROLE_");
        var converter = new org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(authorities);
        return converter;
    }

    private static AuthenticationEntryPoint problem(HttpStatus status, String detail) {
        return (request, response, e) -> writeProblem(response, status, detail);
    }

    private static AccessDeniedHandler denied() {
        return (request, response, e) -> writeProblem(response, HttpStatus.FORBIDDEN, "Not allowed");
    }

    private static void writeProblem(jakarta.servlet.http.HttpServletResponse response, HttpStatus status, String detail)
            throws java.io.IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        if (status == HttpStatus.UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase() + "\",\"status\":"
                + status.value() + ",\"detail\":\"" + detail + "\"}");
    }

    @Bean
    SecretKey jwtKey(FlickSettings settings, DataDir dataDir) {
        String secret = settings.jwtSecret();
        byte[] key;
        if (secret == null || secret.isBlank()) {
            key = Base64.getDecoder().decode(dataDir.secret("jwt-secret", 48));
        } else {
            key = secret.getBytes(StandardCharsets.UTF_8);
            if (key.length < 32) {
                throw new IllegalStateException("JWT_SECRET must be at least 32 bytes for HS256 (it has " + key.length + ")");
            }
        }
        log.info("Access tokens: HS256, {} min", AccessTokens.LIFETIME.toMinutes());
        return new SecretKeySpec(key, "HmacSHA256");
    }

    @Bean
    JwtEncoder jwtEncoder(SecretKey key) {
        return new NimbusJwtEncoder(new ImmutableSecret<>(key));
    }

    @Bean
    JwtDecoder jwtDecoder(SecretKey key, Sessions sessions, EndedSessions ended) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256).build();
        OAuth2TokenValidator<Jwt> sessionStillValid = jwt -> sessions.valid(jwt.getSubject(), AccessTokens.mark(jwt))
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "Session ended", null));
        OAuth2TokenValidator<Jwt> signedInStill = jwt -> ended.ended(jwt.getClaimAsString(AccessTokens.SESSION_ID))
                ? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "Signed out", null))
                : OAuth2TokenValidatorResult.success();
        // The default validators check exp only when it is present: a token without one would never expire.
        OAuth2TokenValidator<Jwt> expires = new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull);
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(AccessTokens.ISSUER), expires, sessionStillValid, signedInStill));
        return decoder;
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

}
