package dev.flick.hub.notify;

/** How one delivery attempt went. A failure's reason is safe to store and show: no secret, no response body. */
sealed interface Outcome {

    record Delivered() implements Outcome {}

    record Failed(String reason) implements Outcome {}

    static Outcome failed(String reason) {
        return new Failed(reason.length() > 500 ? reason.substring(0, 500) : reason);
    }
}
