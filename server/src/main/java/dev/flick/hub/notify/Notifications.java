package dev.flick.hub.notify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What other modules may ask of notify: tell people about a notice (in-app first, then the channels it names),
 * and whether a channel exists. Composes the notifiers the way spring-boot-admin's CompositingNotifier does;
 * one failing notifier never stops the next.
 */
@Component
public class Notifications {

    private static final Logger log = LoggerFactory.getLogger(Notifications.class);

    private final java.util.List<Notifier> notifiers;
    private final ChannelRepository channels;

    Notifications(Inbox inbox, Deliveries deliveries, WebPushSender push, ChannelRepository channels) {
        this.notifiers = java.util.List.of(inbox, deliveries, push);
        this.channels = channels;
    }

    /** Runs on the caller's thread (the alert recorder's, never the ingest path); never throws. */
    public void send(Notice notice) {
        for (Notifier n : notifiers) {
            try {
                n.notify(notice);
            } catch (RuntimeException e) {
                log.warn("{} could not handle a notice about event {}: {}", n.getClass().getSimpleName(), notice.eventId(), e.toString());
            }
        }
    }

    public boolean channelExists(String id) {
        return channels.exists(id);
    }

    /** Admins may use every channel; others the channels they made. */
    public boolean channelVisible(String id, String userId, String role) {
        return channels.find(id).filter(c -> "admin".equals(role) || userId.equals(c.ownerId())).isPresent();
    }
}
