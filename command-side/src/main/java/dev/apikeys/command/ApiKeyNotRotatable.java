package dev.apikeys.command;

/** The key is the caller's, but in no state to hand its place to a new one. */
public class ApiKeyNotRotatable extends RuntimeException {

    public enum Reason {
        DISABLED,
        EXPIRED
    }

    private final Reason reason;

    public ApiKeyNotRotatable(Reason reason) {
        super("The API key cannot be rotated: " + reason, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
