package dev.apikeys.query.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apikeys.runtime.security.Caller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/apikeys/verify}: for the platform's other services. The security chain lets
 * through only callers holding {@code apikeys:verify}.
 */
@RestController
class VerifyController {

    static final String PATH = "/api/v1/apikeys/verify";

    private final Verifier verifier;

    VerifyController(Verifier verifier) {
        this.verifier = verifier;
    }

    /** 200 for every well-formed request, whatever the key: the answer is in the code. */
    @PostMapping(PATH)
    Verification verify(Caller caller, @RequestBody(required = false) JsonNode body) {
        VerifyRequest request = VerifyRequest.from(body);
        return verifier.verify(request.key(), request.requiredScopes(), caller.userId());
    }
}
