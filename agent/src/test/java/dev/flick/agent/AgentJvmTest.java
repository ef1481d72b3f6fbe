package dev.flick.agent;

import static dev.flick.agent.FakeHub.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plain java -jar starts the agent once more in the tuned JVM; the token never reaches a command line. */
class AgentJvmTest {

    @TempDir
    Path dir;

    @Test
    void theFlagsFollowTheJdk() {
        assertThat(AgentJvm.flags(21)).contains("-XX:+UseSerialGC", "-Xmx32m", "-Xss256k", "-XX:TieredStopAtLevel=1",
                "-XX:-UsePerfData", "-XX:+UnlockExperimentalVMOptions", "-XX:TrimNativeHeapInterval=10000", "-Dflick.agent.jvm=tuned")
                .doesNotContain("-XX:+UseCompactObjectHeaders");
        assertThat(AgentJvm.flags(22)).contains("-XX:TrimNativeHeapInterval=10000").doesNotContain("-XX:+UnlockExperimentalVMOptions");
        assertThat(AgentJvm.flags(25)).contains("-XX:+UseCompactObjectHeaders");
    }

    @Test
    void theChildsCommandLineHasNoTokenAndTheOptOutsWork() {
        String[] args = {"--hub", "http://h", "--token", "flk_secret", "--token=flk_secret2", "--interval", "1s"};
        List<String> command = AgentJvm.command("/j/bin/java", "a.jar", args, Map.of(), 25);
        assertThat(command).startsWith("/j/bin/java").contains("-XX:+UseSerialGC", "-cp", "a.jar", AgentMain.class.getName(),
                "--hub", "http://h", "--interval", "1s").noneMatch(a -> a.contains("flk_secret"));
        assertThat(AgentJvm.tokenArgument(args)).isEqualTo("flk_secret2");
        assertThat(AgentJvm.command("java", "a.jar", args, Map.of("FLICK_AGENT_JAVA_OPTS", " -Xmx64m  -XX:+UseG1GC "), 25))
                .contains("-Xmx64m", "-XX:+UseG1GC", "-Dflick.agent.jvm=custom").doesNotContain("-XX:+UseSerialGC");
        assertThat(AgentJvm.shouldRelaunch(Map.of("FLICK_AGENT_NO_RELAUNCH", "1"))).isFalse();
        assertThat(AgentJvm.shouldRelaunch(Map.of())).isTrue(); // this test JVM has no marker
    }

    @Test
    void asAChildTheTunedJvmEndsWithItsLauncher() throws Exception {
        try (FakeHub hub = new FakeHub(0)) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path log = dir.resolve("agent.log");
            ProcessBuilder pb = new ProcessBuilder(java, "-Dflick.agent.relaunch=child", "-cp", System.getProperty("java.class.path"),
                    AgentMain.class.getName(), "--hub", hub.url(), "--token", "flk_on_the_command_line", "--interval", "200ms", "--logs", "off",
                    "--outbox-dir", dir.resolve("outbox").toString());
            pb.environment().remove("FLICK_TOKEN");
            pb.environment().remove("FLICK_AGENT_NO_RELAUNCH");
            pb.environment().remove("FLICK_AGENT_JAVA_OPTS");
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            Process launcher = pb.start();
            try {
                await("the agent sends through the tuned child", () -> hub.stored.size() >= 3);
                List<ProcessHandle> children = launcher.toHandle().children().toList();
                assertThat(children).hasSize(1);
                ProcessHandle child = children.get(0);
                String childArgs = String.join(" ", child.info().arguments().orElse(new String[0]));
                assertThat(childArgs).contains("-XX:+UseSerialGC", "-Xmx32m", "-Dflick.agent.jvm=tuned", "--interval 200ms")
                        .doesNotContain("flk_on_the_command_line");
                assertThat(hub.auths.get(0)).contains("flk_on_the_command_line"); // it reached the child by its environment
                assertThat(Files.readString(Path.of("/proc/" + child.pid() + "/environ"))).contains("MALLOC_ARENA_MAX=2");

                launcher.destroyForcibly(); // kill -9 of the launcher: the child notices its stdin close and stops
                assertThat(launcher.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(child.onExit().get(15, TimeUnit.SECONDS).isAlive()).isFalse();
                assertThat(Files.readString(log)).contains("The launcher is gone");
            } finally {
                Optional.of(launcher).ifPresent(Process::destroyForcibly);
                launcher.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void asAChildSigtermToTheLauncherStopsTheChildAndItsStatusComesBack() throws Exception {
        try (FakeHub hub = new FakeHub(0)) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-Dflick.agent.relaunch=child", "-cp", System.getProperty("java.class.path"),
                    AgentMain.class.getName(), "--hub", hub.url(), "--interval", "200ms", "--logs", "off", "--outbox-dir", dir.resolve("outbox").toString());
            pb.environment().put("FLICK_TOKEN", "flk_env");
            pb.environment().remove("FLICK_AGENT_NO_RELAUNCH");
            pb.redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile());
            Process launcher = pb.start();
            try {
                await("the agent sends", () -> hub.stored.size() >= 2);
                ProcessHandle child = launcher.toHandle().children().findFirst().orElseThrow();
                launcher.destroy(); // SIGTERM
                assertThat(launcher.waitFor(15, TimeUnit.SECONDS)).isTrue();
                assertThat(launcher.exitValue()).isEqualTo(143);
                assertThat(child.isAlive()).as("the child stopped before the launcher").isFalse();
            } finally {
                launcher.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                launcher.destroyForcibly();
            }
        }
    }

    @Test
    void onJdk22AndLaterAPlainStartBecomesTheTunedJvmInPlace() throws Exception {
        Assumptions.assumeTrue(Runtime.version().feature() >= 22, "execve through java.lang.foreign needs JDK 22+");
        try (FakeHub hub = new FakeHub(0)) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    AgentMain.class.getName(), "--hub", hub.url(), "--token", "flk_on_the_command_line", "--interval", "200ms",
                    "--logs", "off", "--outbox-dir", dir.resolve("outbox").toString());
            pb.environment().remove("FLICK_TOKEN");
            pb.environment().remove("FLICK_AGENT_NO_RELAUNCH");
            pb.environment().remove("FLICK_AGENT_JAVA_OPTS");
            Path log = dir.resolve("agent.log");
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            Process agent = pb.start();
            try {
                await("the agent sends from the replaced JVM", () -> hub.stored.size() >= 3);
                assertThat(agent.toHandle().children().toList()).as("no second JVM").isEmpty();
                String args = Files.readString(Path.of("/proc/" + agent.pid() + "/cmdline")).replace('\0', ' ');
                assertThat(args).contains("-XX:+UseSerialGC", "-Xmx32m", "-Xss256k", "-Dflick.agent.jvm=tuned", "--interval 200ms")
                        .doesNotContain("flk_on_the_command_line").doesNotContain("flick.agent.parent");
                assertThat(hub.auths.get(0)).contains("flk_on_the_command_line");
                assertThat(Files.readString(Path.of("/proc/" + agent.pid() + "/environ"))).contains("MALLOC_ARENA_MAX=2");
                assertThat(Files.readString(log)).doesNotContain("could not replace");
                agent.destroy(); // SIGTERM straight to the agent
                assertThat(agent.waitFor(15, TimeUnit.SECONDS)).isTrue();
                assertThat(agent.exitValue()).isEqualTo(143);
            } finally {
                agent.destroyForcibly();
            }
        }
    }
}
