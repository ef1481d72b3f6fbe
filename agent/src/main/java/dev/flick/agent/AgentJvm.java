package dev.flick.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The JVM the agent's footprint was measured with (docs/PERFORMANCE.md), without the user typing flags: a jar's
 * manifest cannot carry JVM options, so a plain {@code java -jar flick-agent.jar} starts the agent once more with
 * {@link #flags(int)}. On JDK 22+ it replaces itself ({@code execve} through the FFM API: same pid, no second JVM
 * left waiting, signals and exit status are the agent's own); on JDK 21, or if that fails, it starts a child and waits
 * for it, forwarding SIGTERM/SIGINT and its exit status. The child knows it
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
        return command(java, classPath, args, env, feature, true);
    }

    static List<String> command(String java, String classPath, String[] args, Map<String, String> env, int feature,
                                boolean child) {
        List<String> command = new ArrayList<>();
        command.add(java);
        String opts = env.get("FLICK_AGENT_JAVA_OPTS");
        if (opts != null && !opts.isBlank()) {
            for (String o : opts.strip().split("\\s+")) command.add(o);
            command.add("-D" + MARKER + "=custom");
        } else {
            command.addAll(flags(feature));
        }
        if (child) command.add("-D" + WATCH_PARENT + "=stdin");
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

    /**
     * JDK 22+: this process becomes the tuned JVM (execve) and this method does not return; otherwise, or when that
     * fails, starts the tuned child, waits for it and returns its exit status.
     */
    static int relaunch(String[] args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        if (Runtime.version().feature() >= 22 && !"child".equals(System.getProperty("flick.agent.relaunch"))) {
            Map<String, String> env = new TreeMap<>(System.getenv());
            env.putIfAbsent("MALLOC_ARENA_MAX", "2");
            String token = tokenArgument(args);
            if (token != null) env.put("FLICK_TOKEN", token);
            String failed = exec(command(java, System.getProperty("java.class.path"), args, System.getenv(),
                    Runtime.version().feature(), false), env);
            System.err.println("flick-agent: could not replace this JVM (" + failed + "); starting the tuned JVM as a child");
        }
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

    /**
     * execve(2) through java.lang.foreign, looked up by reflection so the jar still compiles for and runs on JDK 21
     * (where FFM is a preview). Returns why it did not happen; on success it never returns.
     */
    static String exec(List<String> command, Map<String, String> env) {
        try {
            Class<?> linkerC = Class.forName("java.lang.foreign.Linker");
            Class<?> lookupC = Class.forName("java.lang.foreign.SymbolLookup");
            Class<?> segmentC = Class.forName("java.lang.foreign.MemorySegment");
            Class<?> layoutC = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> valueLayoutC = Class.forName("java.lang.foreign.ValueLayout");
            Class<?> addressLayoutC = Class.forName("java.lang.foreign.AddressLayout");
            Class<?> descriptorC = Class.forName("java.lang.foreign.FunctionDescriptor");
            Class<?> arenaC = Class.forName("java.lang.foreign.Arena");
            Class<?> allocatorC = Class.forName("java.lang.foreign.SegmentAllocator");
            Class<?> optionC = Class.forName("java.lang.foreign.Linker$Option");
            Object linker = linkerC.getMethod("nativeLinker").invoke(null);
            Object lookup = linkerC.getMethod("defaultLookup").invoke(linker);
            Optional<?> execve = (Optional<?>) lookupC.getMethod("find", String.class).invoke(lookup, "execve");
            if (execve.isEmpty()) return "no execve in the C library";
            Object address = valueLayoutC.getField("ADDRESS").get(null);
            Object layouts = Array.newInstance(layoutC, 3);
            for (int i = 0; i < 3; i++) Array.set(layouts, i, address);
            Object descriptor = descriptorC.getMethod("of", layoutC, layouts.getClass())
                    .invoke(null, valueLayoutC.getField("JAVA_INT").get(null), layouts);
            MethodHandle call = (MethodHandle) linkerC.getMethod("downcallHandle", segmentC, descriptorC, Array.newInstance(optionC, 0).getClass())
                    .invoke(linker, execve.get(), descriptor, Array.newInstance(optionC, 0));
            Object arena = arenaC.getMethod("global").invoke(null);
            Method string = allocatorC.getMethod("allocateFrom", String.class);
            Method allocate = allocatorC.getMethod("allocate", layoutC, long.class);
            Method set = segmentC.getMethod("setAtIndex", addressLayoutC, long.class, segmentC);
            Object nul = segmentC.getField("NULL").get(null);
            Object argv = allocate.invoke(arena, address, (long) command.size() + 1);
            for (int i = 0; i < command.size(); i++) set.invoke(argv, address, (long) i, string.invoke(arena, command.get(i)));
            set.invoke(argv, address, (long) command.size(), nul);
            Object envp = allocate.invoke(arena, address, (long) env.size() + 1);
            int i = 0;
            for (Map.Entry<String, String> e : env.entrySet()) {
                set.invoke(envp, address, (long) i++, string.invoke(arena, e.getKey() + "=" + e.getValue()));
            }
            set.invoke(envp, address, (long) env.size(), nul);
            System.out.flush();
            System.err.flush();
            Object result = call.invokeWithArguments(string.invoke(arena, command.get(0)), argv, envp);
            return "execve returned " + result;
        } catch (Throwable e) {
            return e.toString();
        }
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
