package dev.flick.hub.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

/** Rendezvous (highest random weight) hashing: every hub computes the same owner from the same live set. */
final class Rendezvous {

    private Rendezvous() {}

    static String owner(String serverId, Collection<String> hubs) {
        String best = null;
        long bestWeight = Long.MIN_VALUE;
        for (String hub : hubs) {
            long w = weight(hub, serverId);
            if (best == null || w > bestWeight || (w == bestWeight && hub.compareTo(best) < 0)) {
                best = hub;
                bestWeight = w;
            }
        }
        return best;
    }

    /** 64-bit FNV-1a of hub and server, finished with a mix so close ids spread. */
    static long weight(String hub, String serverId) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (hub + '\u0000' + serverId).getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
