-- Transactional outbox of the accounts domain: a user change and its event commit together;
-- the relay publishes pending rows and marks them sent after the broker confirmed them.
CREATE TABLE accounts.outbox (
    seq        bigserial PRIMARY KEY,
    id         uuid NOT NULL UNIQUE,
    event_type text NOT NULL,
    -- The whole envelope: {id, type, version, occurredAt, node, data}.
    envelope   jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz
);

-- Backs the relay's scan of pending rows in commit order.
CREATE INDEX outbox_pending_idx ON accounts.outbox (seq) WHERE sent_at IS NULL;
-- Backs the purge of old sent rows.
CREATE INDEX outbox_sent_idx ON accounts.outbox (sent_at) WHERE sent_at IS NOT NULL;
