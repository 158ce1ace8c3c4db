-- What the owner set on a key beside its name and scopes, null when unset: metadata as the compact
-- JSON the owner's object was stored as (text, so its members keep their order), and the networks
-- verification accepts the key from as a JSON array of strings. The audit publisher keeps the same
-- fold of each key.
alter table read_model.api_key
    add column metadata      text,
    add column allowed_cidrs jsonb;
alter table read_model.audit_key_state
    add column metadata      text,
    add column allowed_cidrs jsonb;
