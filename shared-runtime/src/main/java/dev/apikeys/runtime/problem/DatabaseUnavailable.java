package dev.apikeys.runtime.problem;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import org.hibernate.exception.JDBCConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * A request failed because PostgreSQL could not be reached (or gave no connection in time): a 503
 * with Retry-After, the shape of the other 503s, rather than a 500. The failure arrives wrapped in
 * whatever layer met it first (a transaction that could not begin, a query whose connection was
 * cut, Axon's event store), so the whole chain of causes is searched.
 */
final class DatabaseUnavailable {

    /**
     * SQLSTATEs that mean the server is out of reach rather than that the statement was wrong:
     * class 08 (connection exception), the server shutting down or starting (57P01, 57P02, 57P03)
     * and no connection slot left (53300).
     */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");

    private DatabaseUnavailable() {
    }

    /** @return the cause that shows the database was unavailable, if there is one */
    static Optional<Throwable> causeOf(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            if (isUnavailability(cause)) {
                return Optional.of(cause);
            }
        }
        return Optional.empty();
    }

    static ProblemDetail problem() {
        return ProblemException.problem(HttpStatus.SERVICE_UNAVAILABLE, "/problems/database-unavailable",
                "Service unavailable", "The service's database is unavailable right now; try again shortly.");
    }

    private static boolean isUnavailability(Throwable cause) {
        if (cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException
                || cause instanceof JDBCConnectionException || cause instanceof DataAccessResourceFailureException
                || cause instanceof TransientDataAccessResourceException
                || cause instanceof CannotCreateTransactionException) {
            return true;
        }
        if (cause instanceof SQLException sql && sql.getSQLState() != null) {
            return sql.getSQLState().startsWith("08") || UNAVAILABLE_STATES.contains(sql.getSQLState());
        }
        return false;
    }
}
