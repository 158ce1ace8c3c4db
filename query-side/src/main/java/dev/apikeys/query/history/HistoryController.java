package dev.apikeys.query.history;

import dev.apikeys.query.keys.ReadModelProjection;
import dev.apikeys.query.processing.ReadYourWrites;
import dev.apikeys.runtime.api.ApiKeyResponse;
import dev.apikeys.runtime.api.KeyIdParameter;
import dev.apikeys.runtime.problem.InvalidRequest;
import dev.apikeys.runtime.security.Caller;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The look back: a key's history, and the caller's keys as they stood at an
 * instant. {@code GET /api/v1/me/apikeys?as_of=...} lands here rather than in the plain listing
 * (web.ApiKeyQueryController) because a mapping that requires a parameter wins over one that does
 * not.
 */
@RestController
@RequestMapping("/api/v1/me/apikeys")
class HistoryController {

    private final KeyHistory history;
    private final KeysAsOf keysAsOf;
    private final ReadYourWrites readYourWrites;

    HistoryController(KeyHistory history, KeysAsOf keysAsOf, ReadYourWrites readYourWrites) {
        this.history = history;
        this.keysAsOf = keysAsOf;
        this.readYourWrites = readYourWrites;
    }

    /** Read from the store itself, so it includes every write that answered, without waiting. */
    @GetMapping("/{id}/history")
    List<HistoryEntry> history(Caller caller, @PathVariable String id) {
        return history.of(KeyIdParameter.parse(id), caller.userId());
    }

    /** The read model names the caller's keys, so it must have seen the caller's writes first. */
    @GetMapping(params = "as_of")
    List<ApiKeyResponse> asOf(Caller caller, @RequestParam("as_of") String asOf) {
        Instant instant = instant(asOf);
        readYourWrites.awaitProcessor(ReadModelProjection.PROCESSOR);
        return keysAsOf.of(caller.userId(), instant);
    }

    /** RFC 3339: a date, a time and a Z or an offset. */
    private static Instant instant(String asOf) {
        try {
            return OffsetDateTime.parse(asOf, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidRequest("as_of", "must be an RFC 3339 timestamp like 2026-01-01T12:00:00Z");
        }
    }
}
