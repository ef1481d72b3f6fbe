package dev.flick.hub.notify;

import dev.flick.hub.live.LiveFixtures;
import dev.flick.hub.live.LiveMessage;

import org.junit.jupiter.api.Test;

/** The live {@code notification} message is the inbox item as the API lists it (live-fixtures/notification.json). */
class NotificationMessageTest {

    @Test
    void anInboxItemIsSentAsTheApiListsIt() {
        Inbox.Item item = new Inbox.Item("n-1", "CPU high on web-1", "Rule “CPU high”. Top: java (88 % CPU).", "critical",
                1_764_150_000_000L, false, "e-1", "srv-1", "https://flick.example.com/#/servers/srv-1?at=1764150000000");
        LiveFixtures.assertWrites("notification", new LiveMessage.Notification("u-1", item));
    }
}
