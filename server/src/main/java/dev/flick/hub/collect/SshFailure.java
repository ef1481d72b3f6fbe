package dev.flick.hub.collect;

import java.util.Map;

import dev.flick.hub.servers.StatusReason;

/**
 * Why an SSH session could not start or ended, in words an admin can act on. {@code retry} says whether trying again
 * unchanged can help: an unreachable host may come back, a changed host key will not accept itself.
 */
final class SshFailure extends Exception {

    final boolean retry;
    final long maxBackoffMillis;
    /** Not a failure but a question: the server stays pending (a first host key waiting to be confirmed). */
    final boolean pending;
    /** The same reason as a code with parameters, for the client to say in its user's language. */
    final StatusReason reason;

    private SshFailure(StatusReason reason, boolean retry, long maxBackoffMillis) {
        this(reason, retry, maxBackoffMillis, false);
    }

    private SshFailure(StatusReason reason, boolean retry, long maxBackoffMillis, boolean pending) {
        super(reason.text(), null, false, false);
        this.reason = reason;
        this.retry = retry;
        this.maxBackoffMillis = maxBackoffMillis;
        this.pending = pending;
    }

    /** A first host key presented: nothing happens until an admin confirms (or rejects) it. */
    static SshFailure awaitingConfirmation(Map<String, Object> params, String reason) {
        return new SshFailure(StatusReason.of(StatusReason.Code.SSH_HOST_KEY_UNCONFIRMED, params, reason), false, 0, true);
    }

    /** Network trouble, a dropped session, a command that ended: back off up to a minute and try again. */
    static SshFailure transientProblem(StatusReason.Code code, Map<String, Object> params, String reason) {
        return new SshFailure(StatusReason.of(code, params, reason), true, 60_000);
    }

    /** Refused credentials: retried only every few minutes (not to trip fail2ban) until they are replaced. */
    static SshFailure refused(StatusReason.Code code, Map<String, Object> params, String reason) {
        return new SshFailure(StatusReason.of(code, params, reason), true, 300_000);
    }

    /** Needs an admin: a changed host key, undecryptable credentials. Waits for the server to be edited. */
    static SshFailure needsAdmin(StatusReason.Code code, Map<String, Object> params, String reason) {
        return new SshFailure(StatusReason.of(code, params, reason), false, 0);
    }



}
