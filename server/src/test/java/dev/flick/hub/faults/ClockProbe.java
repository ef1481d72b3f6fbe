package dev.flick.hub.faults;

/** Prints the wall clock of the JVM it runs in: {@link Faketime#probe} starts it under libfaketime. */
public final class ClockProbe {

    private ClockProbe() {}

    public static void main(String[] args) {
        System.out.println(System.currentTimeMillis());
    }
}
