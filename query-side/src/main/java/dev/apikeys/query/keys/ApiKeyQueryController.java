package dev.apikeys.query.keys;

import dev.apikeys.query.processing.ReadYourWrites;
import dev.apikeys.runtime.api.ApiKeyResponse;
import dev.apikeys.runtime.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** GET /api/v1/me/apikeys: the caller's live keys, newest first, including the caller's own writes. */
@RestController
@Tag(name = "API keys")
@RequestMapping("/api/v1/me/apikeys")
class ApiKeyQueryController {

    private final ReadYourWrites readYourWrites;
    private final KeyRows rows;

    ApiKeyQueryController(ReadYourWrites readYourWrites, KeyRows rows) {
        this.readYourWrites = readYourWrites;
        this.rows = rows;
    }

    @GetMapping
    @Operation(summary = "List your keys", description = "The caller's keys that are not deleted, newest first, "
            + "including every write that answered before this request.")
    @ApiResponse(responseCode = "200", description = "The caller's live keys")
    @ApiResponse(responseCode = "503", description = "The read model did not catch up in time; Retry-After")
    List<ApiKeyResponse> list(Caller caller) {
        readYourWrites.awaitProcessor(ReadModelProjection.PROCESSOR);
        return rows.liveKeysOf(caller.userId());
    }
}
