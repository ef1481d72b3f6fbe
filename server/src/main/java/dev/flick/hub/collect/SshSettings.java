package dev.flick.hub.collect;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How SSH servers' system logs are followed.
 *
 * @param logs              follow each SSH server's journal (or syslog file) on a second channel of its session
 * @param syslogPaths       files tried, in order, where journalctl is missing or fails
 * @param logLinesPerSecond lines kept per server and second; a flood beyond it is dropped and counted, so one noisy
 *                          server can fill neither the hub's log buffer nor its disk
 * @param containers        read each SSH server's container engine through its socket (docs/snapshot.md "containers")
 * @param containerSockets  the engine sockets tried on the target, in order; {uid} is the login user's id
 */
@ConfigurationProperties("flick.ssh")
record SshSettings(
        @DefaultValue("true") boolean logs,
        @DefaultValue({"/var/log/syslog", "/var/log/messages"}) List<String> syslogPaths,
        @DefaultValue("1000") int logLinesPerSecond,
        @DefaultValue("true") boolean containers,
        @DefaultValue({"/var/run/docker.sock", "/run/podman/podman.sock", "/run/user/{uid}/podman/podman.sock"})
        List<String> containerSockets) {

    SshSettings {
        syslogPaths = List.copyOf(syslogPaths);
        for (String path : syslogPaths) {
            if (!path.matches("/[A-Za-z0-9._/-]+")) throw new IllegalArgumentException("flick.ssh.syslog-paths: not a plain absolute path: " + path);
        }
        containerSockets = List.copyOf(containerSockets);
        for (String path : containerSockets) {
            if (!path.matches("/[A-Za-z0-9._/{}-]+")) throw new IllegalArgumentException("flick.ssh.container-sockets: not a plain absolute path: " + path);
        }
        if (logLinesPerSecond < 1) throw new IllegalArgumentException("flick.ssh.log-lines-per-second must be positive");
    }
}
