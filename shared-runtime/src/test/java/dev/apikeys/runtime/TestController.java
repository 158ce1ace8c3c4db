package dev.apikeys.runtime;

import dev.apikeys.runtime.problem.InvalidRequest;
import dev.apikeys.runtime.security.Caller;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.exception.JDBCConnectionException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Endpoints that behave the ways the sides' controllers will, so the runtime's answers can be seen. */
@RestController
class TestController {

    record Draft(String name, Integer maxCount, List<String> tags) {
    }

    @GetMapping("/test/caller")
    Caller caller(Caller caller) {
        return caller;
    }

    @PostMapping("/test/drafts")
    Draft echo(@RequestBody Draft draft) {
        return draft;
    }

    @GetMapping("/test/items/{id}")
    Map<String, UUID> item(@PathVariable UUID id) {
        return Map.of("id", id);
    }

    @GetMapping("/test/invalid")
    void invalid() {
        throw new InvalidRequest("name", "must be at most 100 characters");
    }

    @GetMapping("/test/conflict")
    void conflict() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "Too many keys.");
        problem.setTitle("Key limit reached");
        throw new ErrorResponseException(HttpStatus.CONFLICT, problem, null);
    }

    /** Stands in for the query side's verification, whose scope the security chain demands. */
    @PostMapping("/api/v1/apikeys/verify")
    ResponseEntity<Void> verify(@RequestBody Map<String, Object> body) {
        return ResponseEntity.noContent().build();
    }

    /** As a transaction meets a pool that cannot connect. */
    @GetMapping("/test/database-unreachable")
    void databaseUnreachable() {
        throw new CannotCreateTransactionException("Could not open JPA EntityManager for transaction",
                new JDBCConnectionException("Unable to acquire JDBC Connection",
                        new SQLTransientConnectionException("HikariPool-1 - Connection is not available")));
    }

    /** As a query meets a connection cut under it, wrapped by a layer that knows nothing of SQL. */
    @GetMapping("/test/connection-cut")
    void connectionCut() {
        throw new IllegalStateException("Could not append the events",
                new SQLException("An I/O error occurred while sending to the backend.", "08006"));
    }

    @GetMapping("/test/bad-sql")
    void badSql() {
        throw new BadSqlGrammarException("reading", "SELECT secret FROM nowhere",
                new SQLException("syntax error at or near \"nowhere\"", "42601"));
    }

    @GetMapping("/test/boom")
    void boom() {
        throw new IllegalStateException("jdbc:postgresql://db/secret password=hunter2");
    }
}
