package dev.apikeys.command;

/** A setting would be set without one of its members: neither given nor the key's already. */
public class IncompleteSetting extends RuntimeException {

    private final String field;

    public IncompleteSetting(String field) {
        super("No " + field + " given", null, false, false);
        this.field = field;
    }

    /** The missing member, as the API names it ({@code rate_limit.limit}). */
    public String field() {
        return field;
    }
}
