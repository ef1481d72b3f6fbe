import type { IngestHealth } from '../api/ingest';

/** A healthy hub's answer, for tests to change one part of. */
export function sampleHealth(over: Partial<IngestHealth> = {}): IngestHealth {
  return {
    status: 'UP',
    database: { status: 'UP', writeLatencyMs: 4.2, lastError: null, downSince: null },
    dataDisk: { status: 'UP', path: '/var/lib/flick', freeBytes: 20 * 1024 ** 3, thresholdBytes: 256 * 1024 ** 2, lastError: null },
    ingest: { spoolBytes: 1024 ** 2, backlog: 0, written: 123_456, droppedTotal: 0, dropped: {}, droppedByServer: [] },
    ...over,
  };
}
