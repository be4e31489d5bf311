-- Sessions: a login opens a server-side session whose refresh tokens rotate; an access token
-- names its session and the credential version it was issued under (exact, unlike the
-- one-second `iat` comparison with `tokens_valid_after` it replaces).
ALTER TABLE accounts.users ADD COLUMN credential_version integer NOT NULL DEFAULT 0;
ALTER TABLE accounts.users DROP COLUMN tokens_valid_after;

CREATE TABLE accounts.sessions (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES accounts.users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz NOT NULL DEFAULT now(),
    -- Slides forward on every refresh.
    expires_at   timestamptz NOT NULL,
    -- Set by logout, by ending it from the session list, by a password change or reset, or when
    -- a rotated refresh token comes back (theft); an ended session never comes back.
    ended_at     timestamptz,
    user_agent   text,
    address      text
);
-- A user's live sessions (the session list, ending all of them).
CREATE INDEX sessions_user_idx ON accounts.sessions (user_id) WHERE ended_at IS NULL;

-- Every refresh token a session was given, by the SHA-256 of the token (the token itself is
-- never stored). A rotated token presented again ends its session.
CREATE TABLE accounts.refresh_tokens (
    hash       bytea PRIMARY KEY CHECK (length(hash) = 32),
    session_id uuid NOT NULL REFERENCES accounts.sessions (id) ON DELETE CASCADE,
    issued_at  timestamptz NOT NULL DEFAULT now(),
    rotated_at timestamptz
);
CREATE INDEX refresh_tokens_session_idx ON accounts.refresh_tokens (session_id);
