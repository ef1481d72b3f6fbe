package dev.flick.hub.logs;

import java.util.Set;

/**
 * Which servers' log lines a user may read; implemented by the module that owns server access, so the logs
 * module does not depend on it. Admins see everything (including hub events without a server).
 */
public interface LogVisibility {

    boolean seesAll(String userId, String role);

    /** Servers whose lines the user may read (when not seesAll). */
    Set<String> visibleServers(String userId, String role);
}
