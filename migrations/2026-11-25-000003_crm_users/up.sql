-- The CRM domain's directory of users, synced from accounts' user events.
CREATE SCHEMA IF NOT EXISTS crm;

CREATE TABLE crm.users (
    id            uuid PRIMARY KEY,
    work_id       text NOT NULL,
    email         text NOT NULL,
    name          text NOT NULL,
    timezone      text,
    work_location text NOT NULL,
    department    text,
    dept_manager  text,
    birthday      date,
    -- CRM assignment (set through CRM, never by sync).
    role_id       uuid,
    profile_id    uuid,
    -- The accounts version last applied; older events are ignored.
    version       bigint NOT NULL,
    date_joined   timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    -- Set by user.deleted: the user is kept for the records that name them.
    deleted_at    timestamptz,
    synced_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX crm_users_date_joined_idx ON crm.users (date_joined, id) WHERE deleted_at IS NULL;
CREATE INDEX crm_users_search_idx ON crm.users
    USING gin ((name || ' ' || email || ' ' || work_id) gin_trgm_ops);

-- Events already applied, by event id: a redelivery changes nothing.
CREATE TABLE crm.processed_events (
    event_id     uuid PRIMARY KEY,
    processed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX crm_processed_events_at_idx ON crm.processed_events (processed_at);
