package dev.flick.hub.servers;

/**
 * What logs in to an SSH server: a password, or a private key (PEM or OpenSSH) with an optional passphrase.
 * {@link #toString()} names which kind it is and nothing more, so an accidental log line leaks nothing.
 */
public record SshCredentials(String password, String privateKey, String passphrase) {

    public boolean hasPassword() {
        return password != null && !password.isEmpty();
    }

    public boolean hasKey() {
        return privateKey != null && !privateKey.isBlank();
    }

    @Override
    public String toString() {
        return "SshCredentials[" + (hasKey() ? "private key" : hasPassword() ? "password" : "none") + "]";
    }
}
