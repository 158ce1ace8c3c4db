package dev.apikeys.query.processing;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.axonframework.common.AxonThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Tells waits that a processor of this process may have moved. Every step of a pooled processor's
 * segment (a batch committed, or events passed that were not its own) is a task on its worker
 * executor and ends with the segment's status updated; the executors built here signal after each
 * task, and a wait then reads the processors' statuses again. Axon's own status change listener
 * exists for tracking processors only.
 */
@Component
class ProcessorProgress {

    /** As many workers per processor as Axon gives a pooled processor by default. */
    private static final int WORKERS = 4;

    private final Signal signal = new Signal();

    /** The worker executor of a pooled processor, signalling after each task. */
    ScheduledExecutorService workerExecutor(String processorName) {
        return new ScheduledThreadPoolExecutor(WORKERS, new AxonThreadFactory("WorkPackage[" + processorName + "]")) {
            @Override
            protected void afterExecute(Runnable task, Throwable failure) {
                signal.signal();
            }
        };
    }

    Signal signal() {
        return signal;
    }
}
