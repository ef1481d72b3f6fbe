package dev.flick.collector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandLinesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            mysqld --password=hunter2 --port 3306                   | mysqld --password=*** --port 3306
            app --password hunter2 --verbose                        | app --password *** --verbose
            app --token abc.def                                     | app --token ***
            app --api-key=abc                                       | app --api-key=***
            app --api-key abc                                       | app --api-key ***
            app --secret s3cr3t                                     | app --secret ***
            app --db-password=x --authToken y                       | app --db-password=*** --authToken ***
            mysql -uroot -phunter2 shop                             | mysql -uroot -p*** shop
            env PASSWORD=hunter2 TOKEN=abc AWS_SECRET_ACCESS_KEY=z  | env PASSWORD=*** TOKEN=*** AWS_SECRET_ACCESS_KEY=***
            run STRIPE_KEY=sk_live_1 MYSQL_PWD=x                    | run STRIPE_KEY=*** MYSQL_PWD=***
            java -jar flick-agent.jar --hub http://h flk_AbC-d_9    | java -jar flick-agent.jar --hub http://h flk_***
            agent --token=flk_AbCdEf                                | agent --token=***
            psql postgres://app:hunter2@db:5432/shop                | psql postgres://app:***@db:5432/shop
            app --db=mysql://root:pw@10.0.0.2/x --other             | app --db=mysql://root:***@10.0.0.2/x --other
            curl -H Authorization: Bearer eyJabc https://x          | curl -H Authorization: Bearer *** https://x
            curl https://api.example/v1?user=a&token=abc&x=1        | curl https://api.example/v1?user=a&token=***&x=1
            openssl enc -pass pass:hunter2                          | openssl enc -pass ***
            """)
    void redactsTheCommonSecretShapes(String line, String redacted) {
        assertThat(CommandLines.redact(line)).isEqualTo(redacted);
        assertThat(CommandLines.redact(redacted)).as("redacting twice changes nothing").isEqualTo(redacted);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            /usr/sbin/sshd -D -p 22
            find / -name x -print0 -prune
            gcc -pthread -O2 -o out main.c
            agent --token-file /etc/flick/token --password-file /run/pw
            FLICK_TOKEN_FILE=/etc/flick/token java -jar a.jar
            llm --max-tokens=100 --key-name main
            https://example.com/path?page=2
            ssh-agent -s
            /usr/bin/web --port 80 user@host
            http://example.com:8080/x
            """)
    void leavesOrdinaryCommandLinesAlone(String line) {
        assertThat(CommandLines.redact(line)).isSameAs(line);
    }

    @Test
    void displayRedactsBeforeItCuts() {
        String raw = "x".repeat(190) + "\0postgres://u:" + "p".repeat(40) + "@db/x";
        String shown = ProcessDetails.display(raw, "x");
        assertThat(shown).hasSizeLessThanOrEqualTo(ProcessDetails.COMMAND_CHARS).doesNotContain("pppp");
    }

    @Test
    void aSnapshotProcessNeverHoldsASecretWhoeverBuiltIt() {
        Snapshot.Processes.Process p = new Snapshot.Processes.Process(1, "agent", "root", 0, 0,
                "java -jar flick-agent.jar --hub http://h --token flk_secret");
        assertThat(p.command()).isEqualTo("java -jar flick-agent.jar --hub http://h --token ***");
        assertThat(new Snapshot.Processes.Process(2, "k", "root", 0, 0, null).command()).isNull();
    }
}
