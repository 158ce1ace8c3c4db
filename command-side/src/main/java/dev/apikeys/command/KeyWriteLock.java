package dev.apikeys.command;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Takes the key's write lock (a PostgreSQL advisory lock held until the command's transaction
 * ends) before the aggregate is loaded, so the commands of all command-side instances on one key
 * run one after another, each on the state the one before committed. Without it, instances load
 * the same version and all but one lose the append and retry; with a busy key the loser kept
 * losing (six times in a row of 100 toggles on two instances), so a bound on retries could be
 * reached. A key being created has no competitor: its id was drawn for it just now.
 */
class KeyWriteLock implements MessageHandlerInterceptor<CommandMessage<?>> {

    /** The class of these locks in the two-integer key space of advisory locks: API key writes. */
    private static final int LOCK_CLASS = 0x4b455953;

    private final JdbcTemplate jdbc;

    KeyWriteLock(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        if (!(unitOfWork.getMessage().getPayload() instanceof CreateApiKey)) {
            // Two keys may share a hash; they then merely take turns.
            jdbc.query("select pg_advisory_xact_lock(?, hashtext(?))", row -> { }, LOCK_CLASS,
                    GroupCommitCommandBus.keyOf(unitOfWork.getMessage()).toString());
        }
        return chain.proceed();
    }
}
