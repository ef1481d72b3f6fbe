package dev.flick.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The JVM the agent's footprint was measured with (docs/PERFORMANCE.md), without the user typing flags: a jar's
 * manifest cannot carry JVM options, so a plain {@code java -jar flick-agent.jar} starts the agent once more as a
 * child with {@link #flags(int)} and waits for it, forwarding SIGTERM/SIGINT and its exit status. The child knows it
 * is the tuned one by {@code -Dflick.agent.jvm=tuned} (the systemd unit and the install script pass it too, with
 * the same flags, so a service runs one JVM, not two).
 *
 * <p>Opt-outs: {@code FLICK_AGENT_NO_RELAUNCH=1} runs in the JVM as started; {@code FLICK_AGENT_JAVA_OPTS} replaces
 * the tuned flags. The token never goes on the child's command line: a {@code --token} given as an argument is moved
 * into the child's environment ({@code FLICK_TOKEN}), so at least the long-running process does not show it in ps.
 *
 * <p>Run as {@code java -cp flick-agent.jar dev.flick.agent.AgentJvm} it prints the flags for that java, one line,
 * which is how the install script writes them into the unit.
 */
final class AgentJvm {

    static final String MARKER = "flick.agent.jvm";
    /** Set on the child: it ends when its launcher's pipe on stdin closes (the launcher was killed, even with -9). */
    static final String WATCH_PARENT = "flick.agent.parent";

    private AgentJvm() {}

    public static void main(String[] args) {
        System.out.println(String.join(" ", flags(Runtime.version().feature())));
    }

    /**
     * The measured set for this JDK: Serial GC, a small heap, small stacks, C1 only on one compiler thread, no perf
     * data file, no relocated CDS archive (private pages on JDK 25); freed malloc memory trimmed (product on 22+,
     * experimental on 21); compact object headers on 25+ (fewer heap bytes).
     */
    static List<String> flags(int feature) {
        List<String> flags = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx32m", "-XX:TieredStopAtLevel=1",
                "-XX:CICompilerCount=1", "-Xss256k", "-XX:-UsePerfData", "-Xshare:off"));
        if (feature >= 22) flags.add("-XX:TrimNativeHeapInterval=10000");
        else flags.addAll(List.of("-XX:+UnlockExperimentalVMOptions", "-XX:TrimNativeHeapInterval=10000"));
        if (feature >= 25) flags.add("-XX:+UseCompactObjectHeaders");
        flags.add("-D" + MARKER + "=tuned");
        return flags;
    }

    /** Whether this JVM should start the tuned child instead of running the agent itself. */
    static boolean shouldRelaunch(Map<String, String> env) {
        if (System.getProperty(MARKER) != null) return false;
        String off = env.get("FLICK_AGENT_NO_RELAUNCH");
        return off == null || off.isBlank() || off.equals("0") || off.equalsIgnoreCase("false");
    }

    /**
     * The child's command: this java, the flags (FLICK_AGENT_JAVA_OPTS instead when set, split at whitespace), this
     * class path and main class, and the arguments less any {@code --token}.
     */
    static List<String> command(String java, String classPath, String[] args, Map<String, String> env, int feature) {
        List<String> command = new ArrayList<>();
        command.add(java);
        String opts = env.get("FLICK_AGENT_JAVA_OPTS");
        if (opts != null && !opts.isBlank()) {
            for (String o : opts.strip().split("\\s+")) command.add(o);
            command.add("-D" + MARKER + "=custom");
        } else {
            command.addAll(flags(feature));
        }
        command.add("-D" + WATCH_PARENT + "=stdin");
        command.add("-cp");
        command.add(classPath);
        command.add(AgentMain.class.getName());
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--token")) i++;
            else if (!a.startsWith("--token=")) command.add(a);
        }
        return command;
    }

    /** The token given as {@code --token x} or {@code --token=x}, or null. */
    static String tokenArgument(String[] args) {
        String token = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--token") && i + 1 < args.length) token = args[++i];
            else if (args[i].startsWith("--token=")) token = args[i].substring("--token=".length());
        }
        return token;
    }

    /** Starts the tuned child, waits for it and returns its exit status; SIGTERM/SIGINT here stop it first. */
    static int relaunch(String[] args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> command = command(java, System.getProperty("java.class.path"), args, System.getenv(),
                Runtime.version().feature());
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT); // stdin stays a pipe: its end tells the child we died
        Map<String, String> env = builder.environment();
        env.putIfAbsent("MALLOC_ARENA_MAX", "2"); // glibc's per-thread arenas are most of a small JVM's native slack
        String token = tokenArgument(args);
        if (token != null) env.put("FLICK_TOKEN", token);
        Process child = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() { // a class, not a lambda: see Agent.daemon
            @Override
            public void run() {
                if (!child.isAlive()) return;
                child.destroy(); // SIGTERM: the agent says goodbye to the hub and exits
                try {
                    if (!child.waitFor(5, TimeUnit.SECONDS)) child.destroyForcibly();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }));
        return child.waitFor();
    }

    /** In the child: exit (running the shutdown hooks) once the launcher's end of stdin closes. */
    static void watchParent() {
        if (!"stdin".equals(System.getProperty(WATCH_PARENT))) return;
        Thread watcher = new Thread(new Runnable() {
            @Override
            public void run() {
                try {
                    InputStream in = System.in;
                    byte[] buf = new byte[64];
                    while (in.read(buf) >= 0) {
                        // the launcher never writes; anything read is ignored
                    }
                } catch (IOException e) {
                    // a broken pipe is the launcher gone too
                }
                Agent.log("The launcher is gone (its pipe closed); stopping");
                System.exit(143);
            }
        }, "flick-agent-launcher-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
