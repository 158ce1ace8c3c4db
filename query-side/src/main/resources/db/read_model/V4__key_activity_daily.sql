-- Processor apikey-analytics: per owner and UTC day (of each event's own time), how many of their
-- keys' events of each kind happened; "used" counts ApiKeyUsed facts. Days without activity have
-- no row. Rebuilt by replay.
CREATE TABLE read_model.key_activity_daily (
    user_id  VARCHAR(255) NOT NULL,
    day      DATE         NOT NULL,
    created  BIGINT       NOT NULL,
    disabled BIGINT       NOT NULL,
    enabled  BIGINT       NOT NULL,
    deleted  BIGINT       NOT NULL,
    rotated  BIGINT       NOT NULL,
    used     BIGINT       NOT NULL,
    PRIMARY KEY (user_id, day)
);
