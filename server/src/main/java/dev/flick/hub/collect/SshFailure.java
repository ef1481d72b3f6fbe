package dev.flick.hub.collect;

/**
 * Why an SSH session could not start or ended, in words an admin can act on. {@code retry} says whether trying again
 * unchanged can help: an unreachable host may come back, a changed host key will not accept itself.
 */
final class SshFailure extends Exception {

    final boolean retry;
    final long maxBackoffMillis;
    /** Not a failure but a question: the server stays pending (a first host key waiting to be confirmed). */
    final boolean pending;

    private SshFailure(String reason, boolean retry, long maxBackoffMillis) {
        this(reason, retry, maxBackoffMillis, false);
    }

    private SshFailure(String reason, boolean retry, long maxBackoffMillis, boolean pending) {
        super(reason, null, false, false);
        this.retry = retry;
        this.maxBackoffMillis = maxBackoffMillis;
        this.pending = pending;
    }

    /** A first host key presented: nothing happens until an admin confirms (or rejects) it. */
    static SshFailure awaitingConfirmation(String reason) {
        return new SshFailure(reason, false, 0, true);
    }

    /** Network trouble, a dropped session, a command that ended: back off up to a minute and try again. */
    static SshFailure transientProblem(String reason) {
        return new SshFailure(reason, true, 60_000);
    }

    /** Refused credentials: retried only every few minutes (not to trip fail2ban) until they are replaced. */
    static SshFailure refused(String reason) {
        return new SshFailure(reason, true, 300_000);
    }

    /** Needs an admin: a changed host key, undecryptable credentials. Waits for the server to be edited. */
    static SshFailure needsAdmin(String reason) {
        return new SshFailure(reason, false, 0);
    }
}
