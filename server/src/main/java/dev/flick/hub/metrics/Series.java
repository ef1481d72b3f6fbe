package dev.flick.hub.metrics;

import java.util.function.ToDoubleFunction;

import dev.flick.collector.Snapshot;

/** The numeric series kept per snapshot and rolled up: one column each, named alike on every database. */
enum Series {
    CPU("cpu", "cpu", s -> s.cpu().usage()),
    MEM_USED("mem_used", "memUsed", s -> s.memory().used()),
    MEM_TOTAL("mem_total", "memTotal", s -> s.memory().total()),
    SWAP_USED("swap_used", "swapUsed", s -> s.memory().swapUsed()),
    SWAP_TOTAL("swap_total", "swapTotal", s -> s.memory().swapTotal()),
    DISK_USED("disk_used", "diskUsed", Snapshot::diskUsed),
    DISK_TOTAL("disk_total", "diskTotal", Snapshot::diskTotal),
    DISK_READ("disk_read_bps", "diskReadBps", s -> s.diskIo().readBps()),
    DISK_WRITE("disk_write_bps", "diskWriteBps", s -> s.diskIo().writeBps()),
    NET_RX("net_rx_bps", "netRxBps", s -> s.network().rxBps()),
    NET_TX("net_tx_bps", "netTxBps", s -> s.network().txBps()),
    LOAD1("load1", "load1", s -> s.cpu().load1()),
    LOAD5("load5", "load5", s -> s.cpu().load5()),
    LOAD15("load15", "load15", s -> s.cpu().load15());

    static final Series[] ALL = values();

    final String column;
    final String json;
    private final ToDoubleFunction<Snapshot> extractor;

    Series(String column, String json, ToDoubleFunction<Snapshot> extractor) {
        this.column = column;
        this.json = json;
        this.extractor = extractor;
    }

    double of(Snapshot s) {
        return extractor.applyAsDouble(s);
    }

    /** Byte counts are stored as integers in the raw table; the rest as floating point. */
    boolean integral() {
        return this == MEM_USED || this == MEM_TOTAL || this == SWAP_USED || this == SWAP_TOTAL
                || this == DISK_USED || this == DISK_TOTAL;
    }
}
