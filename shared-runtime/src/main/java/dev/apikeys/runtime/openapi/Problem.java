package dev.apikeys.runtime.openapi;

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
        @Schema(description = "Only for validation errors: each invalid field") List<FieldError> errors) {
}
