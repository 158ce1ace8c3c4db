-- What POST /api/v1/apikeys/verify looks a presented key up by: the SHA-256 hex digest of the key.
-- With the event store, the only place the hash is kept. Loaded into memory at start; the
-- read-model processor keeps it current in the same transaction as api_key.
CREATE TABLE read_model.key_lookup (
    key_hash        CHAR(64)                 NOT NULL,
    key_id          UUID                     NOT NULL,
    user_id         VARCHAR(255)             NOT NULL,
    organization_id VARCHAR(255),
    scopes          JSONB                    NOT NULL,
    expires_at      TIMESTAMP(6) WITH TIME ZONE,
    disabled        BOOLEAN                  NOT NULL,
    deleted         BOOLEAN                  NOT NULL,
    last_sequence   BIGINT                   NOT NULL,
    PRIMARY KEY (key_hash),
    CONSTRAINT key_lookup_key_id_key UNIQUE (key_id)
);

-- The audit record's sequence numbers a key's records, lifecycle and usage alike, from 0: this is
-- the next one. Null for a key published before usage existed, when its records were exactly its
-- own events: the publisher then takes it from the key's event sequence numbers.
ALTER TABLE read_model.audit_key_state ADD COLUMN next_sequence BIGINT;
