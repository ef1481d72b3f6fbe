package dev.flick.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AgentSettingsTest {

    @Test
    void theHubUrlBecomesItsAgentSocketWithTheMatchingScheme() {
        assertThat(AgentSettings.agentUri("http://hub:8080")).hasToString("ws://hub:8080/api/v1/agent");
        assertThat(AgentSettings.agentUri("https://hub.example.com/")).hasToString("wss://hub.example.com/api/v1/agent");
        assertThat(AgentSettings.agentUri("https://example.com/flick")).hasToString("wss://example.com/flick/api/v1/agent");
        assertThat(AgentSettings.agentUri("ws://hub:8080/api/v1/agent")).hasToString("ws://hub:8080/api/v1/agent");
        assertThatThrownBy(() -> AgentSettings.agentUri("ftp://hub")).hasMessageContaining("http://");
    }

    @Test
    void flagsWinOverTheEnvironmentAndTheDefaultsHoldAnHourAtOneSecond() {
        AgentSettings fromEnv = AgentSettings.parse(new String[0], Map.of("FLICK_HUB", "http://a:1", "FLICK_TOKEN", "flk_env"));
        assertThat(fromEnv.token()).isEqualTo("flk_env");
        assertThat(fromEnv.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(fromEnv.buffer()).isGreaterThanOrEqualTo(3600);
        AgentSettings flags = AgentSettings.parse(new String[] {"--hub", "https://b", "--token=flk_flag", "--interval", "500ms"},
                Map.of("FLICK_HUB", "http://a:1", "FLICK_TOKEN", "flk_env"));
        assertThat(flags.agentUri()).hasToString("wss://b/api/v1/agent");
        assertThat(flags.token()).isEqualTo("flk_flag");
        assertThat(flags.interval()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void missingOrBadSettingsSayWhatIsWrongWithoutEchoingTheToken() {
        assertThatThrownBy(() -> AgentSettings.parse(new String[0], Map.of())).hasMessageContaining("hub URL is missing");
        assertThatThrownBy(() -> AgentSettings.parse(new String[] {"--hub", "http://a"}, Map.of())).hasMessageContaining("token is missing");
        assertThatThrownBy(() -> AgentSettings.parse(new String[] {"--hub", "http://a", "--token", "flk_x", "--interval", "10ms"}, Map.of()))
                .hasMessageContaining("100ms").hasMessageNotContaining("flk_x");
    }
}
