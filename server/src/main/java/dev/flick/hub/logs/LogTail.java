package dev.flick.hub.logs;

import dev.flick.hub.live.LiveHub;
import dev.flick.hub.live.LiveMessage;

import org.springframework.stereotype.Component;

/** Live tail: every stored log line goes out as a {@code log} message to the sockets tailing its server. */
@Component
class LogTail {

    private final LiveHub live;

    LogTail(EventLog log, LiveHub live) {
        this.live = live;
        log.onStored(this::send);
    }

    private void send(LogEntry e) {
        live.send(new LiveMessage.Log(e.serverId(), e.ts(), e.source(), e.level(), e.unit(), e.message(), e.actor(), e.target()));
    }
}
