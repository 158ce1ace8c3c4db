-- Every live query-side instance and when it last said so (the database's clock). Instances share
-- the processors' segments evenly, and release the claims of an instance gone silent.
CREATE TABLE read_model.query_instance (
    node_id      VARCHAR(255)             NOT NULL,
    heartbeat_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    PRIMARY KEY (node_id)
);
