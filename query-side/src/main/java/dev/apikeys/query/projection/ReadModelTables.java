package dev.apikeys.query.projection;

/**
 * The tables one copy of the read model lives in: the live ones GET and verification read, or the
 * ones a rebuild fills before they replace them.
 */
record ReadModelTables(String apiKey, String keyLookup) {

    static final ReadModelTables LIVE = new ReadModelTables("read_model.api_key", "read_model.key_lookup");
    static final ReadModelTables REBUILD =
            new ReadModelTables("read_model.api_key_rebuild", "read_model.key_lookup_rebuild");
}
