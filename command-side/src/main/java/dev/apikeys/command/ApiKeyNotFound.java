package dev.apikeys.command;

/**
 * The key is not one of the caller's live keys: unknown, someone else's or deleted. One exception
 * for all three, so no answer tells them apart.
 */
public class ApiKeyNotFound extends RuntimeException {

    public ApiKeyNotFound() {
        super("No such API key", null, false, false);
    }
}
