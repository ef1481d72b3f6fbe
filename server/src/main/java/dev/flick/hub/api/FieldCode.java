package dev.flick.hub.api;

/** Why one input field was refused, as a stable code the client renders in its user's language. */
public enum FieldCode {
    REQUIRED("required"),
    INVALID("invalid"),
    TOO_SHORT("too_short"),
    TOO_LONG("too_long"),
    NOT_CURRENT_PASSWORD("not_current_password"),
    ONE_OF("one_of"),
    PASSWORD_COMMON("password_common"),
    PASSWORD_REPEATS("password_repeats"),
    PASSWORD_IS_EMAIL("password_is_email");

    private final String code;

    FieldCode(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** A guess from the English message for call sites that give only a message. */
    static FieldCode fromMessage(String message) {
        if (message == null) return INVALID;
        String m = message.toLowerCase(java.util.Locale.ROOT);
        if (m.contains("required") || m.contains("must not be blank") || m.contains("must not be null")
                || m.contains("must not be empty")) return REQUIRED;
        return INVALID;
    }
}
