package dev.apikeys.query.operations;

import dev.apikeys.query.projection.ApiKeyProjection;
import dev.apikeys.query.projection.ReadModelRebuild;
import org.springframework.stereotype.Component;

/**
 * The read model is not reset in place, which would empty it while it refills: it is rebuilt
 * beside the live tables and swapped in ({@link ReadModelRebuild}).
 */
@Component
class ReadModelReplay implements Replay {

    private final ReadModelRebuild rebuild;

    ReadModelReplay(ReadModelRebuild rebuild) {
        this.rebuild = rebuild;
    }

    @Override
    public String processorName() {
        return ApiKeyProjection.PROCESSOR;
    }

    /** A rebuild already running, here or in another instance, is the replay asked for. */
    @Override
    public void start() {
        rebuild.start();
    }

    @Override
    public boolean running() {
        return rebuild.isRunning();
    }
}
