package dev.apikeys.command;

/** A rate limit would be set without one of its members. */
public class IncompleteRateLimit extends RuntimeException {

    private final String member;

    public IncompleteRateLimit(String member) {
        super("The rate limit has no " + member, null, false, false);
        this.member = member;
    }

    public String member() {
        return member;
    }
}
