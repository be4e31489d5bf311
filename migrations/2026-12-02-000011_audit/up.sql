-- The audit log: who did what, to what, from where. Entries are written in the transaction of the
-- change they describe and never changed; retention deletes whole entries once they are older
-- than `audit.retention`.
CREATE SCHEMA IF NOT EXISTS audit;

CREATE TABLE audit.entries (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    -- The signed-in user who acted; NULL for anonymous attempts (a failed login).
    actor_id    uuid,
    action      text NOT NULL,
    target_type text,
    target_id   text,
    -- Names of the fields a change touched; never their values.
    fields      text[] NOT NULL DEFAULT '{}',
    node        text NOT NULL,
    address     text,
    request_id  text
);
CREATE INDEX entries_at_idx ON audit.entries (at DESC, id DESC);
CREATE INDEX entries_actor_idx ON audit.entries (actor_id, at DESC);
CREATE INDEX entries_target_idx ON audit.entries (target_type, target_id, at DESC);
CREATE INDEX entries_action_idx ON audit.entries (action, at DESC);

CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only';
END
$$;
CREATE TRIGGER entries_append_only BEFORE UPDATE ON audit.entries
    FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
