package dev.apikeys.query.replay;

/**
 * Which copy of a projection's tables to write: the live ones reads answer from, or the copies a
 * rebuild fills before they take the live ones' place.
 */
public record ProjectionTables(String suffix) {

    public static final ProjectionTables LIVE = new ProjectionTables("");
    public static final ProjectionTables REBUILD = new ProjectionTables("_rebuild");

    /** The qualified name of this copy of {@code table}, a table of schema read_model. */
    public String of(String table) {
        return "read_model." + table + suffix;
    }
}
