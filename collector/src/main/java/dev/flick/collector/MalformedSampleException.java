package dev.flick.collector;

/** A /proc text block that cannot be a sample: truncated, missing a section, or holding numbers where text should be. */
public final class MalformedSampleException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MalformedSampleException(String message) {
        super(message);
    }

    public MalformedSampleException(String message, Throwable cause) {
        super(message, cause);
    }
}
