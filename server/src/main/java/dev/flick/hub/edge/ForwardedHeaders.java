package dev.flick.hub.edge;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Forwarded (RFC 7239) and X-Forwarded-For / -Proto / -Host / -Port, believed only when the connection comes from a
 * trusted proxy; from anyone else they are removed, so nothing downstream can be fooled by them. The client is the
 * rightmost address that is not itself a trusted proxy (proxies append, so anything left of that is the client's
 * own claim). The sign-in throttle, the refresh cookie's Secure flag and HSTS then follow the original request.
 */
final class ForwardedHeaders extends OncePerRequestFilter {

    private static final Set<String> HEADERS = Set.of("forwarded", "x-forwarded-for", "x-forwarded-proto",
            "x-forwarded-host", "x-forwarded-port", "x-forwarded-prefix", "x-forwarded-ssl");

    private final AddressBlocks trusted;

    ForwardedHeaders(AddressBlocks trusted) {
        this.trusted = trusted;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!hasAny(request)) {
            chain.doFilter(request, response);
            return;
        }
        if (!trusted.contains(request.getRemoteAddr())) {
            chain.doFilter(new Original(request, request.getRemoteAddr(), request.getScheme(), request.getServerName(),
                    request.getServerPort()), response);
            return;
        }
        List<Hop> hops = hops(request);
        Hop client = null;
        for (int i = hops.size() - 1; i >= 0; i--) {
            client = hops.get(i);
            if (!trusted.contains(client.address())) break;
        }
        String address = client == null || AddressBlocks.literal(client.address()) == null ? request.getRemoteAddr() : client.address();
        Hop nearest = hops.isEmpty() ? null : hops.getLast();
        String proto = nearest != null && nearest.proto() != null ? nearest.proto() : last(request.getHeader("X-Forwarded-Proto"));
        String scheme = "https".equalsIgnoreCase(proto) ? "https" : "http".equalsIgnoreCase(proto) ? "http" : request.getScheme();
        String host = nearest != null && nearest.host() != null ? nearest.host() : last(request.getHeader("X-Forwarded-Host"));
        String serverName = request.getServerName();
        int port = scheme.equals(request.getScheme()) ? request.getServerPort() : "https".equals(scheme) ? 443 : 80;
        if (host != null && !host.isBlank()) {
            int colon = host.lastIndexOf(':');
            if (colon > 0 && host.indexOf(']') < colon && host.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                serverName = host.substring(0, colon);
                port = parsePort(host.substring(colon + 1), port);
            } else {
                serverName = host;
                port = "https".equals(scheme) ? 443 : 80;
            }
        }
        String forwardedPort = last(request.getHeader("X-Forwarded-Port"));
        if (forwardedPort != null) port = parsePort(forwardedPort, port);
        chain.doFilter(new Original(request, address, scheme, serverName, port), response);
    }

    private static boolean hasAny(HttpServletRequest request) {
        for (String h : HEADERS) if (request.getHeader(h) != null) return true;
        return false;
    }

    record Hop(String address, String proto, String host) {}

    /** The hops in order (client first), from Forwarded when present, else X-Forwarded-For. */
    private static List<Hop> hops(HttpServletRequest request) {
        List<Hop> hops = new ArrayList<>();
        Enumeration<String> forwarded = request.getHeaders("Forwarded");
        while (forwarded.hasMoreElements()) {
            for (String element : forwarded.nextElement().split(",")) {
                String address = null;
                String proto = null;
                String host = null;
                for (String pair : element.split(";")) {
                    int eq = pair.indexOf('=');
                    if (eq < 0) continue;
                    String name = pair.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                    String value = unquote(pair.substring(eq + 1).strip());
                    switch (name) {
                        case "for" -> address = node(value);
                        case "proto" -> proto = value;
                        case "host" -> host = value;
                        default -> { }
                    }
                }
                hops.add(new Hop(address, proto, host));
            }
        }
        if (!hops.isEmpty()) return hops;
        Enumeration<String> xff = request.getHeaders("X-Forwarded-For");
        while (xff.hasMoreElements()) {
            for (String a : xff.nextElement().split(",")) {
                if (!a.isBlank()) hops.add(new Hop(node(a.strip()), null, null));
            }
        }
        return hops;
    }

    /** An RFC 7239 node without its port: "192.0.2.1:4711" and "[2001:db8::1]:4711" are addresses with ports. */
    private static String node(String value) {
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            return end < 0 ? value : value.substring(1, end);
        }
        int colon = value.indexOf(':');
        if (colon > 0 && value.indexOf(':', colon + 1) < 0) return value.substring(0, colon);
        return value;
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    private static String last(String header) {
        if (header == null) return null;
        String[] parts = header.split(",");
        String v = parts[parts.length - 1].strip();
        return v.isEmpty() ? null : v;
    }

    private static int parsePort(String s, int fallback) {
        try {
            int p = Integer.parseInt(s.strip());
            return p > 0 && p < 65536 ? p : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** The request as the client sent it to the outermost trusted proxy, with the forwarding headers gone. */
    private static final class Original extends HttpServletRequestWrapper {
        private final String address;
        private final String scheme;
        private final String serverName;
        private final int port;

        Original(HttpServletRequest request, String address, String scheme, String serverName, int port) {
            super(request);
            this.address = address;
            this.scheme = scheme;
            this.serverName = serverName;
            this.port = port;
        }

        @Override
        public String getRemoteAddr() {
            return address;
        }

        @Override
        public String getRemoteHost() {
            return address;
        }

        @Override
        public String getScheme() {
            return scheme;
        }

        @Override
        public boolean isSecure() {
            return "https".equals(scheme);
        }

        @Override
        public String getServerName() {
            return serverName;
        }

        @Override
        public int getServerPort() {
            return port;
        }

        @Override
        public StringBuffer getRequestURL() {
            StringBuffer url = new StringBuffer(scheme).append("://").append(serverName);
            if (!("https".equals(scheme) && port == 443) && !("http".equals(scheme) && port == 80)) url.append(':').append(port);
            return url.append(getRequestURI());
        }

        @Override
        public String getHeader(String name) {
            return HEADERS.contains(name.toLowerCase(Locale.ROOT)) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return HEADERS.contains(name.toLowerCase(Locale.ROOT)) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = new ArrayList<>();
            for (Enumeration<String> e = super.getHeaderNames(); e.hasMoreElements(); ) {
                String n = e.nextElement();
                if (!HEADERS.contains(n.toLowerCase(Locale.ROOT))) names.add(n);
            }
            return Collections.enumeration(names);
        }
    }
}
