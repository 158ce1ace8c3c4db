package dev.apikeys.command;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Takes the key's write lock (a PostgreSQL advisory lock held until the command's transaction
 * ends) before the aggregate is loaded, so the commands of all command-side instances on one key
 * run one after another, each on the state the one before committed. Without it, instances load
 * the same version and all but one lose the append and retry; with a busy key the loser kept
 * losing (six times in a row of 100 toggles on two instances), so a bound on retries could be
 * reached. Registered after Axon's transaction interceptor, so it runs in the command's transaction.
 */
class KeyWriteLock implements MessageHandlerInterceptor<CommandMessage<?>> {

    /** The class of these locks in the two-integer key space of advisory locks: API key writes. */
    private static final int LOCK_CLASS = 0x4b455953;

    private final JdbcTemplate jdbc;
    private final CommandTargetResolver targets = AnnotationCommandTargetResolver.builder().build();

    KeyWriteLock(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        String keyId = targets.resolveTarget(unitOfWork.getMessage()).getIdentifier();
        // Two keys may share a hash; they then merely take turns.
        jdbc.query("select pg_advisory_xact_lock(?, hashtext(?))", row -> { }, LOCK_CLASS, keyId);
        return chain.proceed();
    }
}
