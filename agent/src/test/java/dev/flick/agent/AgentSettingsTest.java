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
    void theOutboxBoundsAndDirectoryComeFromFlagsOrTheEnvironment() {
        Map<String, String> env = Map.of("FLICK_HUB", "http://a:1", "FLICK_TOKEN", "flk_env", "HOME", "/home/x");
        AgentSettings defaults = AgentSettings.parse(new String[0], env);
        assertThat(defaults.outboxMaxAge()).isEqualTo(Duration.ofHours(24));
        assertThat(defaults.outboxMaxBytes()).isEqualTo(100_000_000L);
        assertThat(defaults.outboxDir()).isNotNull();
        assertThat(defaults.buffer()).isEqualTo(3600); // --buffer now caps only the in-memory fallback

        AgentSettings fromEnv = AgentSettings.parse(new String[0], Map.of("FLICK_HUB", "http://a:1", "FLICK_TOKEN", "flk_env",
                "FLICK_OUTBOX_DIR", "/srv/outbox", "FLICK_OUTBOX_MAX_AGE", "7d", "FLICK_OUTBOX_MAX_BYTES", "1.5GB"));
        assertThat(fromEnv.outboxDir()).hasToString("/srv/outbox");
        assertThat(fromEnv.outboxMaxAge()).isEqualTo(Duration.ofDays(7));
        assertThat(fromEnv.outboxMaxBytes()).isEqualTo(1_500_000_000L);

        AgentSettings flags = AgentSettings.parse(new String[] {"--outbox-dir", "/tmp/o", "--outbox-max-age=90m",
                "--outbox-max-bytes", "512MiB", "--buffer", "10"}, env);
        assertThat(flags.outboxDir()).hasToString("/tmp/o");
        assertThat(flags.outboxMaxAge()).isEqualTo(Duration.ofMinutes(90));
        assertThat(flags.outboxMaxBytes()).isEqualTo(512L << 20);
        assertThat(flags.buffer()).isEqualTo(10);

        assertThatThrownBy(() -> AgentSettings.parse(new String[] {"--outbox-max-age", "30d"}, env)).hasMessageContaining("7d");
        assertThatThrownBy(() -> AgentSettings.parse(new String[] {"--outbox-max-bytes", "10kB"}, env)).hasMessageContaining("1MB");
        assertThatThrownBy(() -> AgentSettings.parse(new String[] {"--outbox-max-bytes", "lots"}, env)).hasMessageContaining("not a size");
    }

    @Test
    void theDefaultOutboxDirectoryFollowsSystemdThenTheUsersStateDirectory() {
        assertThat(AgentSettings.defaultOutboxDir(Map.of("STATE_DIRECTORY", "/var/lib/flick-agent:/var/lib/other")))
                .hasToString("/var/lib/flick-agent");
        if (!"root".equals(System.getProperty("user.name"))) {
            assertThat(AgentSettings.defaultOutboxDir(Map.of("XDG_STATE_HOME", "/state"))).hasToString("/state/flick-agent");
            assertThat(AgentSettings.defaultOutboxDir(Map.of()))
                    .isEqualTo(java.nio.file.Path.of(System.getProperty("user.home"), ".local", "state", "flick-agent"));
        } else {
            assertThat(AgentSettings.defaultOutboxDir(Map.of()).toString()).isIn("/var/lib/flick-agent",
                    System.getProperty("user.home") + "/.local/state/flick-agent");
        }
    }

    @Test
    void missingOrBadSettingsSayWhatIsWrongWithoutEchoingTheToken() {
        assertThatThrownBy(() -> AgentSettings.parse(new String[0], Map.of())).hasMessageContaining("hub URL is missing");
        assertThatThrownBy(() -> AgentSettings.parse(new String[] {"--hub", "http://a"}, Map.of())).hasMessageContaining("token is missing");
        assertThatThrownBy(() -> AgentSettings.parse(new String[] {"--hub", "http://a", "--token", "flk_x", "--interval", "10ms"}, Map.of()))
                .hasMessageContaining("100ms").hasMessageNotContaining("flk_x");
    }

    @Test
    void severalHubsAreTriedInTheOrderGiven() {
        AgentSettings s = AgentSettings.parse(new String[] {"--hub", "https://a.example, http://b:8080/flick/ ,,https://a.example"},
                java.util.Map.of("FLICK_TOKEN", "flk_x"));
        assertThat(s.agentUris()).extracting(Object::toString)
                .containsExactly("wss://a.example/api/v1/agent", "ws://b:8080/flick/api/v1/agent");
        assertThat(s.agentUri()).hasToString("wss://a.example/api/v1/agent");
        AgentSettings env = AgentSettings.parse(new String[0], java.util.Map.of("FLICK_TOKEN", "flk_x", "FLICK_HUB", "http://a,http://b"));
        assertThat(env.agentUris()).hasSize(2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AgentSettings.parse(new String[] {"--hub", " , "},
                java.util.Map.of("FLICK_TOKEN", "flk_x"))).hasMessageContaining("hub URL is missing");
    }
}
