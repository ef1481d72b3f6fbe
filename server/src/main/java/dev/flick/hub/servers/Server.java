package dev.flick.hub.servers;

/** A monitored server as stored. mode ∈ local, agent, ssh; status ∈ online, offline, pending, error. */
public record Server(String id, String name, String mode, String status, String statusReason, Long lastSeen,
                     String host, Integer port, String infoJson, long createdAt) {}
