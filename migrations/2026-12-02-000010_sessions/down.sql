DROP TABLE accounts.refresh_tokens;
DROP TABLE accounts.sessions;
ALTER TABLE accounts.users ADD COLUMN tokens_valid_after timestamptz NOT NULL DEFAULT 'epoch';
ALTER TABLE accounts.users DROP COLUMN credential_version;
