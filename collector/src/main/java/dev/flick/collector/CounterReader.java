package dev.flick.collector;

/** Reads the local machine's counters; one per collector, kept between polls. */
interface CounterReader {

    ProcSample read();

    /** Users and commands for the processes that make the top, looked up only for them. */
    ProcessDetails details();
}
