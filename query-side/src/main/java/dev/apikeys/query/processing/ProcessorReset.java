package dev.apikeys.query.processing;

import org.axonframework.common.ProcessUtils;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Resets a processor to the first event in place, whichever instances hold its segments, with
 * Axon's own reset: the processor's reset handlers clear what it built and every segment's token
 * becomes a replay token. A reset claims every segment, so this instance asks the others, through
 * table {@code read_model.processor_reset}, to release theirs ({@link SegmentBalancer} does at its
 * next heartbeat), and resets once it could claim them all.
 */
@Component
class ProcessorReset {

    private static final Logger log = LoggerFactory.getLogger(ProcessorReset.class);

    private static final long RETRY_MILLIS = 200;
    /** Long enough for every other instance to have seen the request at two heartbeats. */
    private static final long ATTEMPTS = 50;

    private final JdbcTemplate jdbc;
    private final ProcessingNode node;

    ProcessorReset(JdbcTemplate jdbc, ProcessingNode node) {
        this.jdbc = jdbc;
        this.node = node;
    }

    void reset(StreamingEventProcessor processor) {
        jdbc.update("""
                insert into read_model.processor_reset (processor_name, requested_by, requested_at) values (?, ?, now())
                on conflict (processor_name) do update set requested_by = excluded.requested_by,
                                                           requested_at = excluded.requested_at""",
                processor.getName(), node.id());
        processor.shutDown();
        try {
            ProcessUtils.executeUntilTrue(() -> resetNow(processor), RETRY_MILLIS, ATTEMPTS);
        } finally {
            jdbc.update("delete from read_model.processor_reset where processor_name = ? and requested_by = ?",
                    processor.getName(), node.id());
            processor.start();
        }
    }

    /** False while another instance still holds a segment. */
    private boolean resetNow(StreamingEventProcessor processor) {
        try {
            processor.resetTokens();
            log.info("Reset {} to the first event", processor.getName());
            return true;
        } catch (RuntimeException stillClaimed) {
            log.debug("Resetting {} waits for its segments: {}", processor.getName(), stillClaimed.toString());
            return false;
        }
    }
}
