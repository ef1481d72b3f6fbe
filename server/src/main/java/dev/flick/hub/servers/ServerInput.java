package dev.flick.hub.servers;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.flick.hub.api.ApiProblem;

import org.springframework.http.HttpStatus;

/**
 * The body of POST and PATCH /api/v1/servers. {@link #toString()} hides the secrets: a request logged by accident
 * carries no password or key. allowLoopback (admins only) lets an SSH server point at an address
 * {@link SshAddresses} refuses by default. hostKeyFingerprint (ssh, on create only): the key the adder expects, as
 * {@code ssh-keygen -lf} prints it ("SHA256:…", or the whole line); then no confirmation step when it matches.
 */
record ServerInput(String name, String mode, String host, Integer port, String username, String password,
                   String privateKey, String passphrase, Boolean allowLoopback, String url, String hostKeyFingerprint) {

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:\\[\\]%-]{1,253}");
    private static final Pattern USER = Pattern.compile("[^\\s:@/]{1,64}");
    /** OpenSSH's SHA-256 fingerprint: 32 bytes in unpadded base64. */
    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}(?![A-Za-z0-9+/])=?");

    @Override
    public String toString() {
        return "ServerInput[name=" + name + ", mode=" + mode + ", host=" + host + ", port=" + port + ", username=" + username
                + ", password=" + (password == null ? "absent" : "***") + ", privateKey=" + (privateKey == null ? "absent" : "***")
                + ", passphrase=" + (passphrase == null ? "absent" : "***") + ", allowLoopback=" + allowLoopback + ", url=" + url + ", hostKeyFingerprint=" + hostKeyFingerprint + "]";
    }

    boolean replacesCredentials() {
        return password != null || privateKey != null || passphrase != null;
    }

    SshCredentials credentials() {
        return new SshCredentials(blankToNull(password), blankToNull(privateKey), privateKey == null ? null : passphrase);
    }

    /** The expected host key's fingerprint as stored ("SHA256:" and 43 characters), or null when none was given. */
    String expectedHostKey() {
        if (hostKeyFingerprint == null || hostKeyFingerprint.isBlank()) return null;
        java.util.regex.Matcher m = FINGERPRINT.matcher(hostKeyFingerprint);
        return m.find() ? m.group().replace("=", "") : null;
    }

    /** Every problem at once, each naming its field; 400 when there is any. */
    void validateCreate() {
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        checkName(errors, true);
        if (mode == null || mode.isBlank()) errors.add(new ApiProblem.FieldError("mode", "is required: agent, ssh or prometheus"));
        else if (!mode.equals("agent") && !mode.equals("ssh") && !mode.equals("prometheus")) {
            errors.add(new ApiProblem.FieldError("mode", "must be agent, ssh or prometheus"));
        }
        if (url != null && !"prometheus".equals(mode)) errors.add(new ApiProblem.FieldError("url", "applies to prometheus servers only"));
        if (hostKeyFingerprint != null && !"ssh".equals(mode)) {
            errors.add(new ApiProblem.FieldError("hostKeyFingerprint", "applies to ssh servers only"));
        }
        if ("ssh".equals(mode)) {
            checkAddress(errors, true);
            checkCredentials(errors, true);
            if (hostKeyFingerprint != null && !hostKeyFingerprint.isBlank()
                    && (hostKeyFingerprint.length() > 1_000 || expectedHostKey() == null)) {
                errors.add(new ApiProblem.FieldError("hostKeyFingerprint",
                        "must be an OpenSSH SHA-256 fingerprint, SHA256: and 43 characters, as ssh-keygen -lf prints it"));
            }
        } else if ("prometheus".equals(mode)) {
            checkUrl(errors, true);
            for (String[] f : new String[][] {{"host", host}, {"username", username}, {"password", password},
                    {"privateKey", privateKey}, {"passphrase", passphrase}}) {
                if (f[1] != null) errors.add(new ApiProblem.FieldError(f[0], "applies to ssh servers only"));
            }
            if (port != null) errors.add(new ApiProblem.FieldError("port", "applies to ssh servers only"));
        } else if ("agent".equals(mode)) {
            for (String[] f : new String[][] {{"host", host}, {"username", username}, {"password", password},
                    {"privateKey", privateKey}, {"passphrase", passphrase}}) {
                if (f[1] != null) errors.add(new ApiProblem.FieldError(f[0], "applies to ssh servers only"));
            }
            if (port != null) errors.add(new ApiProblem.FieldError("port", "applies to ssh servers only"));
            if (allowLoopback != null) errors.add(new ApiProblem.FieldError("allowLoopback", "applies to ssh servers only"));
        }
        fail(errors);
    }

    void validatePatch(String existingMode) {
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        checkName(errors, false);
        if (mode != null && !mode.equals(existingMode)) errors.add(new ApiProblem.FieldError("mode", "cannot be changed; add a new server instead"));
        if (hostKeyFingerprint != null) {
            errors.add(new ApiProblem.FieldError("hostKeyFingerprint", "is given only when adding a server; "
                    + "confirm a presented key with POST /api/v1/servers/{id}/host-key/accept"));
        }
        if ("prometheus".equals(existingMode)) {
            boolean sshOnly = host != null || port != null || username != null || replacesCredentials();
            if (sshOnly) errors.add(new ApiProblem.FieldError(host != null ? "host" : port != null ? "port" : username != null
                    ? "username" : password != null ? "password" : privateKey != null ? "privateKey" : "passphrase",
                    "applies to ssh servers only"));
            if (url != null) checkUrl(errors, true);
            fail(errors);
            return;
        }
        if (url != null) errors.add(new ApiProblem.FieldError("url", "applies to prometheus servers only"));
        boolean sshFields = host != null || port != null || username != null || replacesCredentials() || allowLoopback != null;
        if (sshFields && !"ssh".equals(existingMode)) {
            errors.add(new ApiProblem.FieldError(host != null ? "host" : port != null ? "port" : username != null ? "username"
                    : password != null ? "password" : privateKey != null ? "privateKey" : passphrase != null ? "passphrase"
                    : "allowLoopback", "applies to ssh servers only"));
        } else if (sshFields) {
            checkAddress(errors, false);
            if (replacesCredentials()) checkCredentials(errors, true);
        }
        fail(errors);
    }

    private void checkName(List<ApiProblem.FieldError> errors, boolean required) {
        if (name == null) {
            if (required) errors.add(new ApiProblem.FieldError("name", "is required"));
        } else if (name.isBlank()) {
            errors.add(new ApiProblem.FieldError("name", "must not be blank"));
        } else if (name.strip().length() > 100) {
            errors.add(new ApiProblem.FieldError("name", "must be at most 100 characters"));
        }
    }

    /** A node_exporter's metrics URL: http or https, a host, no credentials in it (they would be stored in the clear). */
    private void checkUrl(List<ApiProblem.FieldError> errors, boolean required) {
        if (url == null || url.isBlank()) {
            if (required) errors.add(new ApiProblem.FieldError("url", "is required: the node_exporter's metrics URL, e.g. http://host:9100/metrics"));
            return;
        }
        try {
            java.net.URI u = new java.net.URI(url.strip());
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                errors.add(new ApiProblem.FieldError("url", "must be an http:// or https:// URL with a host"));
            } else if (u.getRawUserInfo() != null) {
                errors.add(new ApiProblem.FieldError("url", "must not carry a user name or password"));
            } else if (url.strip().length() > 2_000) {
                errors.add(new ApiProblem.FieldError("url", "must be at most 2000 characters"));
            }
        } catch (java.net.URISyntaxException e) {
            errors.add(new ApiProblem.FieldError("url", "must be an http:// or https:// URL with a host"));
        }
    }

    /** The URL as stored: stripped, /metrics added when it names no path. */
    String scrapeUrl() {
        String u = url.strip();
        java.net.URI uri = java.net.URI.create(u);
        return uri.getRawQuery() == null && uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/")
                ? u.replaceAll("/$", "") + "/metrics" : u;
    }

    private void checkAddress(List<ApiProblem.FieldError> errors, boolean required) {
        if (host == null ? required : !HOST.matcher(host.strip()).matches()) {
            errors.add(new ApiProblem.FieldError("host", host == null ? "is required" : "must be a host name or IP address"));
        }
        if (port != null && (port < 1 || port > 65535)) errors.add(new ApiProblem.FieldError("port", "must be between 1 and 65535"));
        if (username == null ? required : !USER.matcher(username).matches()) {
            errors.add(new ApiProblem.FieldError("username", username == null ? "is required"
                    : "must be 1–64 characters without spaces, ':', '@' or '/'"));
        }
    }

    private void checkCredentials(List<ApiProblem.FieldError> errors, boolean required) {
        boolean hasPassword = password != null && !password.isEmpty();
        boolean hasKey = privateKey != null && !privateKey.isBlank();
        if (hasPassword && hasKey) {
            errors.add(new ApiProblem.FieldError("privateKey", "give a password or a private key, not both"));
        } else if (!hasPassword && !hasKey) {
            if (required) errors.add(new ApiProblem.FieldError("password", "give a password or a private key"));
        } else if (hasPassword && password.length() > 1024) {
            errors.add(new ApiProblem.FieldError("password", "must be at most 1024 characters"));
        } else if (hasKey) {
            if (privateKey.length() > 64 * 1024) {
                errors.add(new ApiProblem.FieldError("privateKey", "must be at most 64 KiB"));
            } else {
                try {
                    SshKeys.read(privateKey, passphrase);
                } catch (IllegalArgumentException e) {
                    String field = e.getMessage().contains("passphrase") ? "passphrase" : "privateKey";
                    errors.add(new ApiProblem.FieldError(field, field.equals("passphrase") ? e.getMessage() : e.getMessage()));
                }
            }
        }
        if (passphrase != null && !passphrase.isEmpty() && !hasKey) {
            errors.add(new ApiProblem.FieldError("passphrase", "applies only with a private key"));
        }
    }

    private static void fail(List<ApiProblem.FieldError> errors) {
        if (errors.isEmpty()) return;
        ApiProblem.FieldError first = errors.getFirst();
        throw new ApiProblem(HttpStatus.BAD_REQUEST, first.field() + ": " + first.message(), List.copyOf(errors));
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
