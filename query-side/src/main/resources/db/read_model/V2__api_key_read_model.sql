-- What GET /api/v1/me/apikeys answers from. Deleted keys stay as rows (flagged) so a redelivered
-- event cannot bring them back; last_sequence makes every handler idempotent.
CREATE TABLE read_model.api_key (
    id              UUID                     NOT NULL,
    user_id         VARCHAR(255)             NOT NULL,
    organization_id VARCHAR(255),
    name            VARCHAR(255)             NOT NULL,
    key_prefix      VARCHAR(255)             NOT NULL,
    scopes          JSONB                    NOT NULL,
    created_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    last_used_at    TIMESTAMP(6) WITH TIME ZONE,
    expires_at      TIMESTAMP(6) WITH TIME ZONE,
    disabled        BOOLEAN                  NOT NULL,
    deleted         BOOLEAN                  NOT NULL,
    last_sequence   BIGINT                   NOT NULL,
    PRIMARY KEY (id)
);

CREATE INDEX api_key_user_created_idx ON read_model.api_key (user_id, created_at DESC);

-- The audit publisher's own view of each key: Disabled/Enabled/Deleted events carry only the key
-- id, owner and time, yet every audit record describes the whole key.
CREATE TABLE read_model.audit_key_state (
    key_id          UUID         NOT NULL,
    user_id         VARCHAR(255) NOT NULL,
    organization_id VARCHAR(255),
    name            VARCHAR(255) NOT NULL,
    key_prefix      VARCHAR(255) NOT NULL,
    scopes          JSONB        NOT NULL,
    expires_at      TIMESTAMP(6) WITH TIME ZONE,
    disabled        BOOLEAN      NOT NULL,
    deleted         BOOLEAN      NOT NULL,
    PRIMARY KEY (key_id)
);
