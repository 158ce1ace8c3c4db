package dev.apikeys.command.web;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** CreateAPIKeyResponse: the only place the plaintext key ever appears. */
@Schema(name = "CreateAPIKeyResponse")
record CreateApiKeyResponse(UUID id, String name, String keyPrefix, String key, List<String> scopes,
        Instant expiresAt) {

    /** Leaves the key out, so a logged response cannot leak it. */
    @Override
    public String toString() {
        return "CreateApiKeyResponse[id=" + id + ", name=" + name + ", keyPrefix=" + keyPrefix + ", scopes=" + scopes
                + ", expiresAt=" + expiresAt + "]";
    }
}
