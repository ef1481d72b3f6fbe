package dev.flick.agent;

/**
 * {@code java -jar flick-agent.jar --hub http://hub:8080 --token …}: watches this machine and streams it to the hub.
 * Exits 2 on bad arguments or when another agent holds the outbox directory; otherwise runs until stopped (SIGTERM),
 * reconnecting as often as it takes.
 */
public final class AgentMain {

    private AgentMain() {}

    public static void main(String[] args) throws InterruptedException {
        AgentSettings settings;
        try {
            settings = AgentSettings.parse(args, System.getenv());
            if (AgentJvm.shouldRelaunch(System.getenv())) { // settings checked first: a usage error needs no second JVM
                try {
                    System.exit(AgentJvm.relaunch(args));
                } catch (java.io.IOException e) {
                    System.err.println("flick-agent: cannot start the tuned JVM (" + e.getMessage()
                            + "); running in this one (FLICK_AGENT_NO_RELAUNCH=1 skips the attempt)");
                }
            }
            AgentJvm.watchParent();
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) System.err.println("flick-agent: " + e.getMessage());
            System.err.println(AgentSettings.USAGE);
            System.exit(2);
            return;
        }
        Agent agent;
        try {
            agent = new Agent(settings);
        } catch (DiskOutbox.InUse e) {
            System.err.println("flick-agent: " + e.getMessage());
            System.exit(2);
            return;
        }
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() { // a class, not a lambda: see Agent.daemon
            @Override
            public void run() {
                agent.stop();
                main.interrupt();
                try {
                    main.join(3_000); // lets the link say goodbye (close 1000) before the JVM halts
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }));
        try {
            agent.run();
        } catch (InterruptedException e) {
            Agent.log("Stopped");
        }
    }
}
