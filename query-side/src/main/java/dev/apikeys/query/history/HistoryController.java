package dev.apikeys.query.history;

import dev.apikeys.query.keys.ReadModelProjection;
import dev.apikeys.query.processing.ReadYourWrites;
import dev.apikeys.runtime.api.ApiKeyResponse;
import dev.apikeys.runtime.api.KeyIdParameter;
import dev.apikeys.runtime.problem.InvalidRequest;
import dev.apikeys.runtime.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The look back: a key's history, and the caller's keys as they stood at an
 * instant. {@code GET /api/v1/me/apikeys?as_of=...} lands here rather than in the plain listing
 * (web.ApiKeyQueryController) because a mapping that requires a parameter wins over one that does
 * not.
 */
@RestController
@RequestMapping("/api/v1/me/apikeys")
class HistoryController {

    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;

    private final KeyHistory history;
    private final KeysAsOf keysAsOf;
    private final ReadYourWrites readYourWrites;

    HistoryController(KeyHistory history, KeysAsOf keysAsOf, ReadYourWrites readYourWrites) {
        this.history = history;
        this.keysAsOf = keysAsOf;
        this.readYourWrites = readYourWrites;
    }

    /**
     * Read from the store itself, so it includes every write that answered, without waiting. One
     * page at a time; a {@code Link} to the next one when more follow.
     */
    @GetMapping("/{id}/history")
    @Operation(summary = "A key's history", description = "The key's events in order, also after deletion, "
            + "owner only; paged, with a Link header (rel=\"next\") when more follow.")
    @ApiResponse(responseCode = "200", description = "Up to limit entries with sequence above after")
    @ApiResponse(responseCode = "400", description = "A malformed id, limit or after")
    @ApiResponse(responseCode = "404", description = "Not one of the caller's keys, live or deleted")
    ResponseEntity<List<HistoryEntry>> history(Caller caller, @PathVariable String id,
            @Parameter(description = "Entries per page, 1 to " + MAX_PAGE)
            @RequestParam(defaultValue = "" + DEFAULT_PAGE) int limit,
            @Parameter(description = "Only entries whose sequence is above this one; absent: from the first")
            @RequestParam(required = false) Long after) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidRequest("limit", "must be an integer from 1 to " + MAX_PAGE);
        }
        if (after != null && after < 0) {
            throw new InvalidRequest("after", "must be a sequence number, 0 or more");
        }
        List<HistoryEntry> entries = history.of(KeyIdParameter.parse(id), caller.userId(),
                after == null ? -1 : after, limit + 1);
        if (entries.size() <= limit) {
            return ResponseEntity.ok(entries);
        }
        List<HistoryEntry> page = entries.subList(0, limit);
        String next = ServletUriComponentsBuilder.fromCurrentRequest()
                .replaceQueryParam("after", page.get(limit - 1).sequence())
                .replaceQueryParam("limit", limit)
                .toUriString();
        return ResponseEntity.ok().header(HttpHeaders.LINK, "<" + next + ">; rel=\"next\"").body(page);
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
