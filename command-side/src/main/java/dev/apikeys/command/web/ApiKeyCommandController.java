package dev.apikeys.command.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apikeys.command.ApiKeyNotFound;
import dev.apikeys.command.ApiKeyNotRotatable;
import dev.apikeys.command.CreateApiKey;
import dev.apikeys.command.DeleteApiKey;
import dev.apikeys.command.IncompleteSetting;
import dev.apikeys.command.MetadataTooLarge;
import dev.apikeys.command.RotateApiKey;
import dev.apikeys.command.ToggleApiKey;
import dev.apikeys.command.UpdateApiKey;
import dev.apikeys.command.key.ApiKeyGenerator;
import dev.apikeys.command.key.NewApiKey;
import dev.apikeys.command.quota.KeyQuotaExceeded;
import dev.apikeys.command.usage.LatestUsage;
import dev.apikeys.events.EventMetadata;
import dev.apikeys.events.KeyState;
import dev.apikeys.runtime.api.ApiKeyResponse;
import dev.apikeys.runtime.api.KeyIdParameter;
import dev.apikeys.runtime.problem.InvalidRequest;
import dev.apikeys.runtime.problem.KeyNotFound;
import dev.apikeys.runtime.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The writes: create, toggle, change, delete and rotate the caller's keys. */
@RestController
@Tag(name = "API keys")
@RequestMapping(ApiKeyCommandController.BASE_PATH)
class ApiKeyCommandController {

    static final String BASE_PATH = "/api/v1/me/apikeys";
    static final String CORRELATION_ID_HEADER = "X-Correlation-Id";
    /** Visible ASCII only: the id travels on into event metadata, logs and Kafka headers. */
    private static final Pattern SANE_CORRELATION_ID = Pattern.compile("^[\\x21-\\x7E]{1,100}$");

    private final CommandGateway commands;
    private final ApiKeyGenerator keyGenerator;
    private final Clock clock;
    private final LatestUsage latestUsage;

    ApiKeyCommandController(CommandGateway commands, ApiKeyGenerator keyGenerator, Clock clock,
            LatestUsage latestUsage) {
        this.commands = commands;
        this.keyGenerator = keyGenerator;
        this.clock = clock;
        this.latestUsage = latestUsage;
    }

    @PostMapping
    @Operation(summary = "Create a key", description = "The plaintext key is in this answer and nowhere else, ever.")
    @ApiResponse(responseCode = "201", description = "Created; Location names the key, Cache-Control: no-store",
            content = @Content(schema = @Schema(implementation = CreateApiKeyResponse.class)))
    @ApiResponse(responseCode = "400", description = "An invalid field (each is named)")
    @ApiResponse(responseCode = "403", description = "organization_id is not one of the caller's org_ids")
    @ApiResponse(responseCode = "409", description = "The caller holds the most live keys allowed")
    ResponseEntity<CreateApiKeyResponse> create(Caller caller,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false, content = @Content(
                    schema = @Schema(implementation = CreateKeyRequest.class)))
            @RequestBody(required = false) JsonNode body,
            @RequestHeader(name = CORRELATION_ID_HEADER, required = false) String correlationId) {
        CreateKeyRequest request = CreateKeyRequest.from(body);
        if (request.organizationId() != null && !caller.belongsTo(request.organizationId())) {
            throw new OrganizationForbiddenProblem();
        }
        Instant expiresAt = request.expiresInDays() == 0
                ? null
                : clock.instant().plus(Duration.ofDays(request.expiresInDays()));
        NewApiKey key = keyGenerator.generate();
        UUID keyId = UUID.randomUUID();
        send(new CreateApiKey(keyId, caller.userId(), request.organizationId(), request.name(), key.prefix(),
                key.sha256Hex(), request.scopes(), expiresAt, request.settings()), caller, correlationId);
        return issued(keyId, request.name(), key, request.scopes(), expiresAt);
    }

    /** Issues a copy of the key under a new id; the old key keeps working for the grace period. */
    @PostMapping("/{id}/rotate")
    @Operation(summary = "Rotate a key", description = "Issues a new key with the same name, scopes, organization and "
            + "expiry; the old key then expires at the earlier of its own expiry and now + grace.")
    @ApiResponse(responseCode = "201", description = "The new key; Cache-Control: no-store",
            content = @Content(schema = @Schema(implementation = CreateApiKeyResponse.class)))
    @ApiResponse(responseCode = "400", description = "A malformed id or an invalid grace_period_seconds")
    @ApiResponse(responseCode = "404", description = "Not one of the caller's live keys")
    @ApiResponse(responseCode = "409", description = "The key is disabled or expired, or the caller is at the key limit")
    ResponseEntity<CreateApiKeyResponse> rotate(Caller caller, @PathVariable String id,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false, content = @Content(
                    schema = @Schema(implementation = RotateKeyBody.class)))
            @RequestBody(required = false) JsonNode body,
            @RequestHeader(name = CORRELATION_ID_HEADER, required = false) String correlationId) {
        UUID keyId = KeyIdParameter.parse(id);
        RotateKeyRequest request = RotateKeyRequest.from(body);
        NewApiKey key = keyGenerator.generate();
        KeyState newKey = send(new RotateApiKey(keyId, caller.userId(), UUID.randomUUID(), key.prefix(),
                key.sha256Hex(), request.gracePeriod()), caller, correlationId);
        return issued(newKey.keyId(), newKey.name(), key, newKey.scopes(), newKey.expiresAt());
    }

    /** Flips {@code disabled}; any request body is ignored. */
    @PutMapping("/{id}")
    @Operation(summary = "Disable or enable a key", description = "Flips disabled; no request body is needed.")
    @ApiResponse(responseCode = "200", description = "The key after the flip")
    @ApiResponse(responseCode = "400", description = "A malformed id")
    @ApiResponse(responseCode = "404", description = "Not one of the caller's live keys")
    ApiKeyResponse toggle(Caller caller, @PathVariable String id,
            @RequestHeader(name = CORRELATION_ID_HEADER, required = false) String correlationId) {
        KeyState key = send(new ToggleApiKey(KeyIdParameter.parse(id), caller.userId()), caller, correlationId);
        return ApiKeyResponse.of(latestUsage.of(key), clock.instant());
    }

    /** A JSON merge patch of the key's name, scopes and settings; one event if it changes anything. */
    @PatchMapping(path = "/{id}", consumes = {"application/merge-patch+json", MediaType.APPLICATION_JSON_VALUE})
    @Operation(summary = "Change a key", description = "A JSON merge patch (RFC 7396) over name, scopes, metadata,"
            + " allowed_cidrs and rate_limit: an absent member stays, null removes it, objects merge into the key's.")
    @ApiResponse(responseCode = "200", description = "The key after the change")
    @ApiResponse(responseCode = "400", description = "A malformed id, or invalid or unknown members (each is named)")
    @ApiResponse(responseCode = "404", description = "Not one of the caller's live keys")
    @ApiResponse(responseCode = "415", description = "Neither application/merge-patch+json nor application/json")
    ApiKeyResponse update(Caller caller, @PathVariable String id,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    schema = @Schema(implementation = UpdateKeyRequest.class)))
            @RequestBody(required = false) JsonNode body,
            @RequestHeader(name = CORRELATION_ID_HEADER, required = false) String correlationId) {
        UUID keyId = KeyIdParameter.parse(id);
        KeyState key = send(UpdateKeyRequest.from(body, keyId, caller.userId()), caller, correlationId);
        return ApiKeyResponse.of(latestUsage.of(key), clock.instant());
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a key", description = "Soft delete: the key leaves the listing, its events stay.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "400", description = "A malformed id")
    @ApiResponse(responseCode = "404", description = "Not one of the caller's live keys")
    void delete(Caller caller, @PathVariable String id,
            @RequestHeader(name = CORRELATION_ID_HEADER, required = false) String correlationId) {
        send(new DeleteApiKey(KeyIdParameter.parse(id), caller.userId()), caller, correlationId);
    }

    private <R> R send(Object command, Caller caller, String correlationId) {
        MetaData metaData = MetaData.from(Map.of(
                EventMetadata.ACTOR_ID, caller.userId(),
                EventMetadata.CORRELATION_ID, correlationId != null && SANE_CORRELATION_ID.matcher(correlationId).matches()
                        ? correlationId
                        : UUID.randomUUID().toString()));
        try {
            return commands.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(metaData));
        } catch (ApiKeyNotFound | AggregateNotFoundException e) {
            throw new KeyNotFound();
        } catch (KeyQuotaExceeded e) {
            throw new KeyQuotaExceededProblem(e.maxKeysPerUser());
        } catch (ApiKeyNotRotatable e) {
            throw new KeyNotRotatableProblem(e.reason());
        } catch (MetadataTooLarge e) {
            throw new InvalidRequest(UpdateApiKey.METADATA, KeyFields.METADATA_TOO_LARGE);
        } catch (IncompleteSetting e) {
            throw new InvalidRequest(e.field(), "is required: the key has none to keep");
        }
    }

    /** 201 with the only copy of the plaintext the caller will ever get, so nothing may cache it. */
    private static ResponseEntity<CreateApiKeyResponse> issued(UUID keyId, String name, NewApiKey key,
            List<String> scopes, Instant expiresAt) {
        return ResponseEntity.created(URI.create(BASE_PATH + "/" + keyId))
                .cacheControl(CacheControl.noStore())
                .body(new CreateApiKeyResponse(keyId, name, key.prefix(), key.plaintext(), scopes, expiresAt));
    }
}
