-- Authentication (issue 12 items 9 and 10).
-- Login throttling counts failures per (username, address), not per username: a stranger elsewhere
-- can no longer lock a user out. A successful login from an address clears that pair's rows.
DROP INDEX IF EXISTS login_failures_user;
CREATE INDEX login_failures_pair ON login_failures (username, address, at);

-- Handler-issued one-time password reset tokens: only their SHA-256 is stored; used or expired ones are dead.
CREATE TABLE password_reset_tokens (
  token_hash  text PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES users (id),
  issued_by   text NOT NULL,
  issued_at   timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX password_reset_tokens_user ON password_reset_tokens (user_id) WHERE used_at IS NULL;
