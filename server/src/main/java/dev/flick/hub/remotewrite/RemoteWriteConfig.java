package dev.flick.hub.remotewrite;

import java.util.Map;

/**
 * Where to remote-write and how to sign in there; secrets in the clear only in memory. url null: off.
 * toString hides the secrets.
 */
record RemoteWriteConfig(String url, String bearerToken, String basicUsername, String basicPassword,
                         Map<String, String> extraLabels) {

    static final RemoteWriteConfig OFF = new RemoteWriteConfig(null, null, null, null, Map.of());

    boolean enabled() {
        return url != null && !url.isBlank();
    }

    @Override
    public String toString() {
        return "RemoteWriteConfig[url=" + url + ", bearerToken=" + (bearerToken == null ? "absent" : "***")
                + ", basicUsername=" + basicUsername + ", basicPassword=" + (basicPassword == null ? "absent" : "***")
                + ", extraLabels=" + extraLabels + "]";
    }
}
