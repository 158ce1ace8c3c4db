package dev.apikeys.query.operations;

import dev.apikeys.query.ProcessingNode;
import java.sql.SQLException;
import java.time.Instant;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Resets a processor to the first event in place, whichever instances hold its segments. A reset
 * must own every segment, so it takes the claims over through the token table itself: in one
 * transaction it makes this instance the owner of every segment, resets the tokens (the processor's
 * reset handlers clear what it built) and commits. An instance that held a segment then fails its
 * next token update or claim extension (Axon's own check that it still owns the claim), rolls its
 * batch back and lets the segment go; this instance's processor starts again and claims them all.
 */
@Component
class TokenReset {

    private static final Logger log = LoggerFactory.getLogger(TokenReset.class);

    /** A batch in flight elsewhere can deadlock with the reset handlers; PostgreSQL aborts one of the two. */
    private static final int ATTEMPTS = 5;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ProcessingNode node;

    TokenReset(JdbcTemplate jdbc, TransactionTemplate transactions, ProcessingNode node) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.node = node;
    }

    void reset(StreamingEventProcessor processor) {
        processor.shutDown();
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    transactions.executeWithoutResult(status -> {
                        jdbc.update("update read_model.token_entry set owner = ?, timestamp = ? where processor_name = ?",
                                node.id(), DateTimeUtils.formatInstant(Instant.now()), processor.getName());
                        processor.resetTokens();
                    });
                    return;
                } catch (RuntimeException e) {
                    if (attempt >= ATTEMPTS || !rolledBackByTheDatabase(e)) {
                        throw e;
                    }
                    log.info("Reset of {} rolled back by a concurrent batch ({}); trying again", processor.getName(),
                            e.getMessage());
                }
            }
        } finally {
            processor.start();
        }
    }

    /** SQLSTATE class 40: a deadlock or serialization failure, which a new attempt can get past. */
    private static boolean rolledBackByTheDatabase(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("40")) {
                return true;
            }
        }
        return false;
    }
}
