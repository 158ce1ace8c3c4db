package dev.apikeys.bench;

import java.util.List;

/** A fault inflicted on the running service under load, and the checks of what the README promises then. */
interface FaultDrill {

    /** How {@code ./bench/faults} names it, e.g. on its command line. */
    String name();

    /** What the drill reports, in the order it prints them; those with a target are its criteria. */
    List<Figure> figures();

    /**
     * Runs the drill and records its figures; a check that cannot be made fails the drill by throwing.
     * Leaves the service and its broker running, for the drills after it.
     */
    void run(ServiceUnderTest underTest, Progress progress, Report report) throws Exception;
}
