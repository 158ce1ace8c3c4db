package dev.apikeys.query.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apikeys.runtime.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/apikeys/verify}: for the platform's other services. The security chain lets
 * through only callers holding {@code apikeys:verify}.
 */
@RestController
@Tag(name = "Verification")
class VerifyController {

    static final String PATH = "/api/v1/apikeys/verify";

    static {
        // The answer is documented in its fullest form; the key's fields are absent when no key was found.
        SpringDocUtils.getConfig().replaceWithClass(Verification.class, Verification.OfKey.class);
    }

    private final Verifier verifier;

    VerifyController(Verifier verifier) {
        this.verifier = verifier;
    }

    /** 200 for every well-formed request, whatever the key: the answer is in the code. */
    @PostMapping(PATH)
    @Operation(summary = "Verify a key", description = "For the platform's services: needs scope apikeys:verify.")
    @ApiResponse(responseCode = "200", description = "The verdict; the key's fields only when the key was found",
            content = @Content(schema = @Schema(implementation = Verification.OfKey.class)))
    @ApiResponse(responseCode = "400", description = "key missing or not a string, or invalid required_scopes")
    @ApiResponse(responseCode = "403", description = "The token lacks scope apikeys:verify")
    @ApiResponse(responseCode = "503", description = "The keys in memory could not be brought up to date in time")
    Verification verify(Caller caller,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    schema = @Schema(implementation = VerifyRequest.class)))
            @RequestBody(required = false) JsonNode body) {
        VerifyRequest request = VerifyRequest.from(body);
        return verifier.verify(request.key(), request.requiredScopes(), request.clientIp(), request.cost(),
                caller.userId());
    }
}
