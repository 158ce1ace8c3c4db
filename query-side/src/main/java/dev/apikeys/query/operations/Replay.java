package dev.apikeys.query.operations;

/**
 * A processor whose replay must be more than resetting its tokens in place, such as one whose
 * reads must keep answering in full while it rebuilds. {@code POST /actuator/projections/{name}/replay}
 * hands the replay of {@link #processorName()} to it instead of resetting that processor.
 */
public interface Replay {

    String processorName();

    /** Starts the replay and returns; the rebuild goes on in the background. */
    void start();

    /** Whether a replay is under way, in this instance or, where the replay can tell, another. */
    boolean running();
}
