-- Processor apikey-analytics: how far each key's two streams (its own and its usage stream) are
-- counted in key_activity_daily, so an event delivered twice (a batch retried, a rebuild's events
-- applied again by the processor after the swap) is counted once. -1: nothing counted yet.
CREATE TABLE read_model.key_activity_position (
    key_id             UUID   NOT NULL,
    lifecycle_sequence BIGINT NOT NULL,
    usage_sequence     BIGINT NOT NULL,
    PRIMARY KEY (key_id)
);
