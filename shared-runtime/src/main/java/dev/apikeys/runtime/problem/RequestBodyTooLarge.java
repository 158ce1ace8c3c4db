package dev.apikeys.runtime.problem;

import java.io.IOException;

/** Thrown while reading a request body that turns out longer than {@link RequestBodyLimitFilter#MAX_BYTES}. */
class RequestBodyTooLarge extends IOException {

    RequestBodyTooLarge() {
        super("Request body exceeds " + RequestBodyLimitFilter.MAX_BYTES + " bytes");
    }
}
