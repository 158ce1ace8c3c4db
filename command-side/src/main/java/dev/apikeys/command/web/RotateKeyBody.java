package dev.apikeys.command.web;

import io.swagger.v3.oas.annotations.media.Schema;

/** The rotate body as the OpenAPI document shows it; {@link RotateKeyRequest} reads and checks it. */
@Schema(name = "RotateAPIKeyRequest")
record RotateKeyBody(
        @Schema(description = "How long the old key keeps working; absent: 0", minimum = "0",
                maximum = "" + RotateKeyRequest.MAX_GRACE_PERIOD_SECONDS) Integer gracePeriodSeconds) {
}
