package dev.flick.hub.metrics;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The write path's state at a glance, read from what the writer and the spool already keep (never a database call):
 * what health reports and what admins see in Settings.
 *
 * @param failingSince   since when database writes fail or hang, 0 while they succeed
 * @param lastError      the first error of the current episode, null while writes succeed
 * @param writeMillis    how long the last commit took, -1 before the first
 * @param dataDir        the directory whose free space counts
 * @param freeBytes      usable bytes under it (checked at most once a second)
 * @param minFreeBytes   the threshold below which the spool stops taking data
 * @param outOfSpace     a write failed for lack of space, or free space is below the threshold
 * @param spoolBlocked   why the spool refuses agents now, null while it accepts
 * @param spoolBytes     bytes in spool segments on disk
 * @param backlog        snapshots accepted and not yet in the database
 */
public record IngestStatus(long failingSince, String lastError, long writeMillis, Path dataDir, long freeBytes,
                           long minFreeBytes, boolean outOfSpace, String spoolBlocked, long spoolBytes, long backlog,
                           long written, long droppedTotal, Map<String, Long> dropped, List<ServerDrops> droppedByServer) {

    /** Snapshots of one server given up for one reason. */
    public record ServerDrops(String serverId, String reason, long count) {}

    public boolean databaseUp() {
        return failingSince == 0;
    }

    public boolean diskUp() {
        return !outOfSpace && freeBytes >= minFreeBytes;
    }
}
