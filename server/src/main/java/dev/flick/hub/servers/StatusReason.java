package dev.flick.hub.servers;

import java.util.Map;

/**
 * Why a server is not online, as a stable {@link Code} with parameters the client renders in its user's language,
 * and the English {@code text} the hub has always sent (kept for API users and stored with the status).
 */
public record StatusReason(Code code, Map<String, Object> params, String text) {

    public StatusReason {
        params = Map.copyOf(params);
    }

    public static StatusReason of(Code code, String text) {
        return new StatusReason(code, Map.of(), text);
    }

    public static StatusReason of(Code code, Map<String, Object> params, String text) {
        return new StatusReason(code, params, text);
    }

    /** The closed set of reasons; {@link #code()} is what the JSON carries. */
    public enum Code {
        NO_DATA("no_data"),
        SSH_SESSION_ENDED("ssh.session_ended"),
        SSH_NO_CREDENTIALS("ssh.no_credentials"),
        SSH_UNRESOLVED("ssh.unresolved"),
        SSH_ADDRESS_REFUSED("ssh.address_refused"),
        SSH_BAD_PRIVATE_KEY("ssh.bad_private_key"),
        SSH_KEY_REFUSED("ssh.key_refused"),
        SSH_PASSWORD_REFUSED("ssh.password_refused"),
        SSH_CONNECTION_REFUSED("ssh.connection_refused"),
        SSH_NO_ROUTE("ssh.no_route"),
        SSH_TIMEOUT("ssh.timeout"),
        SSH_HANDSHAKE("ssh.handshake"),
        SSH_HOST_KEY_CHANGED("ssh.host_key_changed"),
        SSH_HOST_KEY_UNCONFIRMED("ssh.host_key_unconfirmed"),
        SSH_HOST_KEY_MISMATCH("ssh.host_key_mismatch"),
        SSH_HOST_KEY_REJECTED("ssh.host_key_rejected"),
        SSH_NOT_LINUX("ssh.not_linux"),
        SSH_HOST_INFO("ssh.host_info"),
        SSH_OUTPUT_BROKE("ssh.output_broke"),
        SSH_SAMPLER_ENDED("ssh.sampler_ended"),
        SSH_LOST("ssh.lost"),
        CREDENTIALS_UNUSABLE("credentials_unusable"),
        SCRAPE_FAILED("scrape_failed"),
        UNEXPECTED("unexpected");

        private final String code;

        Code(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}
