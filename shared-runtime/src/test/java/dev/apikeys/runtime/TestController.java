package dev.apikeys.runtime;

import dev.apikeys.runtime.problem.InvalidRequest;
import dev.apikeys.runtime.security.Caller;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
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

    @GetMapping("/test/boom")
    void boom() {
        throw new IllegalStateException("jdbc:postgresql://db/secret password=hunter2");
    }
}
