package dev.flick.hub.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.flick.hub.config.FlickSettings;
import dev.flick.hub.live.Address;
import dev.flick.hub.live.LiveHub;
import dev.flick.hub.live.LiveMessage;
import dev.flick.hub.live.LiveSubscriber;
import dev.flick.hub.live.SnapshotCodec;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.util.unit.DataSize;

/** A status reason is the collector's readable text: a tab or a line break in it still makes a valid message. */
class PresenceStatusMessageTest {

    @Test
    void aReasonWithATabOrCarriageReturnIsSentAsValidJson() throws Exception {
        FlickSettings settings = new FlickSettings(Path.of("."), Duration.ofSeconds(1), "", "", 900, DataSize.ofGigabytes(2),
                DataSize.ofMegabytes(64), DataSize.ofMegabytes(100), false, "", "", "", "", "");
        LiveHub live = new LiveHub(settings, new SnapshotCodec() {
            @Override
            public byte[] compact(String json) {
                return json.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String expand(byte[] compact) {
                return new String(compact, StandardCharsets.UTF_8);
            }
        });
        List<String> sent = new ArrayList<>();
        live.subscribe(new LiveSubscriber() {
            @Override
            public boolean wants(Address to) {
                return to.equals(new Address.Server("srv-1"));
            }

            @Override
            public void deliver(LiveMessage.Addressed message, String json) {
                sent.add(json);
            }
        });
        // The repository is only written by the background save, which this test does not run.
        Presence presence = new Presence(new ServerRepository(JdbcClient.create(new SimpleDriverDataSource())), live, settings);

        String reason = "Authentication failed\tfor \"root\"\r\nbanner: \\x";
        presence.error("srv-1", reason);

        assertThat(sent).hasSize(1);
        JsonNode message = JsonMapper.builder().build().readTree(sent.get(0));
        assertThat(message.get("type").asString()).isEqualTo("status");
        assertThat(message.get("status").asString()).isEqualTo("error");
        assertThat(message.get("reason").asString()).isEqualTo(reason);
        assertThat(live.status("srv-1")).contains("error");
    }
}
