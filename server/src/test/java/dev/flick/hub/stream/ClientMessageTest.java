package dev.flick.hub.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.Test;

class ClientMessageTest {

    private final JsonMapper json = JsonMapper.builder().build();

    private ClientMessage parse(String s) {
        return ClientMessage.parse(json.readTree(s));
    }

    @Test
    void subscribeToEverythingOrAListWithSince() {
        assertThat(parse("{\"type\":\"subscribe\",\"serverIds\":\"*\"}")).isEqualTo(new ClientMessage.Subscribe(null, 0));
        assertThat(parse("{\"type\":\"subscribe\",\"serverIds\":[\"a\",\"b\"],\"since\":1764150000000}"))
                .isEqualTo(new ClientMessage.Subscribe(java.util.List.of("a", "b"), 1_764_150_000_000L));
    }

    @Test
    void badMessagesAreNamedNotCrashed() {
        assertThatThrownBy(() -> parse("{\"type\":\"subscribe\"}")).isInstanceOf(ClientMessage.Invalid.class)
                .hasMessageContaining("serverIds");
        assertThatThrownBy(() -> parse("{\"type\":\"subscribe\",\"serverIds\":[1]}")).hasMessageContaining("strings");
        assertThatThrownBy(() -> parse("{\"type\":\"subscribe\",\"serverIds\":\"*\",\"since\":\"soon\"}")).hasMessageContaining("since");
        assertThatThrownBy(() -> parse("{\"type\":\"launch\"}")).hasMessageContaining("Unknown message type");
        assertThatThrownBy(() -> parse("{}")).hasMessageContaining("type");
    }

    @Test
    void summariesAreForEveryServerOnly() {
        assertThat(parse("{\"type\":\"subscribe-summary\",\"serverIds\":\"*\"}")).isEqualTo(new ClientMessage.SubscribeSummary());
        assertThat(parse("{\"type\":\"unsubscribe-summary\"}")).isEqualTo(new ClientMessage.UnsubscribeSummary());
        assertThatThrownBy(() -> parse("{\"type\":\"subscribe-summary\",\"serverIds\":[\"a\"]}")).hasMessageContaining("\"*\" only");
    }
}
