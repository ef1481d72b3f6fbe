package dev.flick.hub.notify;

/** One way of telling people (spring-boot-admin's shape): in-app, or the rule's channels. Must not throw. */
interface Notifier {

    void notify(Notice notice);
}
