-- The accounts domain: identity of every user of the platform.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE SCHEMA IF NOT EXISTS accounts;

CREATE TABLE accounts.users (
    id                 uuid PRIMARY KEY,
    work_id            text NOT NULL,
    email              text NOT NULL CHECK (email = lower(email)),
    name               text NOT NULL,
    password_hash      text NOT NULL,
    timezone           text,
    work_location      text NOT NULL,
    department         text,
    dept_manager       text,
    birthday           date,
    is_admin           boolean NOT NULL DEFAULT false,
    -- Bumped on every change; event consumers order updates by it.
    version            bigint NOT NULL DEFAULT 1,
    -- Tokens issued before this instant are refused (password change).
    tokens_valid_after timestamptz NOT NULL DEFAULT 'epoch',
    date_joined        timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX users_email_key ON accounts.users (email);
CREATE UNIQUE INDEX users_work_id_key ON accounts.users (work_id);
-- Backs the paginated listing's order.
CREATE INDEX users_date_joined_idx ON accounts.users (date_joined, id);
-- Backs `search` (ILIKE on name, email and workId).
CREATE INDEX users_search_idx ON accounts.users
    USING gin ((name || ' ' || email || ' ' || work_id) gin_trgm_ops);
