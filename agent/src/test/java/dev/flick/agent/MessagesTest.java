package dev.flick.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessagesTest {

    @Test
    void fieldsAreReadAmongTheTopLevelMembersOnly() {
        String ack = "{\"type\":\"ack\",\"refused\":[{\"ts\":5,\"code\":\"bad-snapshot\",\"message\":\"a \\\"quoted\\\" ts\\\":9 }\"},"
                + "{\"ts\":7,\"code\":\"too-old\",\"message\":\"x\"}],\"ts\":42}";
        assertThat(Messages.number(ack, "ts")).isEqualTo(42);
        assertThat(Messages.string(ack, "type")).isEqualTo("ack");
        assertThat(Messages.string(ack, "code")).isEmpty();
        assertThat(Messages.objects(ack, "refused")).hasSize(2);
        String first = Messages.objects(ack, "refused").get(0);
        assertThat(Messages.number(first, "ts")).isEqualTo(5);
        assertThat(Messages.string(first, "message")).isEqualTo("a \"quoted\" ts\":9 }");
        assertThat(Messages.number(Messages.objects(ack, "refused").get(1), "ts")).isEqualTo(7);
    }

    @Test
    void absentAndNegativeNumbersAreTold() {
        String ready = "{\"type\":\"ready\",\"serverId\":\"s-1\",\"clockOffsetMs\":-1500}";
        assertThat(Messages.number(ready, "clockOffsetMs", 0)).isEqualTo(-1500);
        assertThat(Messages.number("{\"type\":\"ready\"}", "clockOffsetMs", 0)).isZero();
        assertThat(Messages.number(ready, "retryMs")).isEqualTo(-1);
        assertThat(Messages.objects(ready, "refused")).isEmpty();
        assertThat(Messages.objects("{\"refused\":[]}", "refused")).isEmpty();
    }
}
