package dev.flick.hub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class TemplateTest {

    @Test
    void rendersPlaceholdersAndLeavesLiteralTextAlone() {
        assertThat(Template.render("<b>{{server}}</b> {{ value }} {{level}}", Map.of("server", "a<b>&", "value", "9 %", "level", "warning"),
                Template.Escape.HTML)).isEqualTo("<b>a&lt;b&gt;&amp;</b> 9 % warning");
    }

    @Test
    void escapesValuesForEachTargetFormat() {
        assertThat(Template.Escape.JSON.apply("a\"b\\c\nd\u0001")).isEqualTo("a\\\"b\\\\c\\nd\\u0001");
        assertThat(Template.Escape.HTML.apply("<a href=\"x\">&</a>")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
        assertThat(Template.Escape.MARKDOWN.apply("*bold* _it_ [x](y) `c`")).isEqualTo("\\*bold\\* \\_it\\_ \\[x\\](y) \\`c\\`");
        assertThat(Template.Escape.PLAIN.apply("<*>")).isEqualTo("<*>");
    }

    @Test
    void findsUnknownPlaceholdersAndKeepsTitleForBodies() {
        assertThat(Template.unknownPlaceholder("{{server}} {{hostname}}", false)).contains("hostname");
        assertThat(Template.unknownPlaceholder("{{server}} {{processes}} {{title}}", false)).isEmpty();
        assertThat(Template.unknownPlaceholder("{{title}}", true)).contains("title");
        assertThat(Template.unknownPlaceholder("no placeholders { here }", false)).isEmpty();
    }

    @Test
    void defaultsDifferPerKindOfNoticeAndService() {
        Notice firing = Template.sample(Notice.Kind.FIRING, 0);
        Notice resolved = Template.sample(Notice.Kind.RESOLVED, 0);
        Template.Rendered f = Template.render(ChannelKind.NTFY, Template.Set.DEFAULTS, firing, "https://f/x");
        assertThat(f.title()).isEqualTo("critical: CPU usage on web-1 is 96.5 % (> 90.0 %)");
        assertThat(f.body()).contains("Rule: CPU hot").contains("https://f/x").contains("cpu-burner");
        assertThat(Template.render(ChannelKind.NTFY, Template.Set.DEFAULTS, resolved, null).title()).isEqualTo("Resolved: CPU usage on web-1 is back to 41.0 %");
        assertThat(Template.render(ChannelKind.TELEGRAM, Template.Set.DEFAULTS, firing, "https://f/x").body()).startsWith("<b>critical:");
        Template.Set own = new Template.Set(new Template.Part("{{server}} hot", "{{title}}!"), null, null);
        Template.Rendered mine = Template.render(ChannelKind.GOTIFY, own, firing, null);
        assertThat(mine.title()).isEqualTo("web-1 hot");
        assertThat(mine.body()).isEqualTo("web-1 hot!");
        assertThat(Template.render(ChannelKind.GOTIFY, own, resolved, null).title()).as("resolved keeps its default").startsWith("Resolved:");
    }

    @Test
    void theDefaultWebhookBodyIsValidJsonWhateverTheValues() {
        Notice n = new Notice(Notice.Kind.FIRING, "e", "r", "a \"quoted\"\nrule\\", "s", "web\t1", "cpu.usage", null, "critical",
                "CPU", 1.0, 2.0, "1", "2", 0, 0, null, null);
        String body = Template.render(ChannelKind.WEBHOOK, Template.Set.DEFAULTS, n, "https://f/x").body();
        var json = tools.jackson.databind.json.JsonMapper.builder().build().readTree(body);
        assertThat(json.path("rule").asString()).isEqualTo("a \"quoted\"\nrule\\");
        assertThat(json.path("server").asString()).isEqualTo("web\t1");
    }
}
