package dev.apikeys.runtime.openapi;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.apikeys.runtime.problem.InvalidRequest.FieldError;
import io.swagger.v3.oas.annotations.media.Schema;
import java.net.URI;
import java.util.List;

/** The shape of every error answer, for the OpenAPI document only (the answers are ProblemDetails). */
@Schema(name = OpenApiConfiguration.PROBLEM_SCHEMA, description = "RFC 9457 problem details")
record Problem(
        @Schema(example = "/problems/invalid-request") URI type,
        @Schema(example = "Invalid request") String title,
        @Schema(example = "400") int status,
        String detail,
        @Schema(description = "The request path") URI instance,
        @Schema(description = "Only for validation errors: each invalid field, the first 100 of them")
        List<FieldError> errors,
        @Schema(description = "Only when more than 100 fields are invalid: how many errors does not list")
        @JsonProperty("errors_not_listed") Integer errorsNotListed) {
}
