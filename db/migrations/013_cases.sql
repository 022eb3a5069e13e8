-- Token buckets for per-user rate limits (I-3: look-ups of other operators' lines). One row per bucket
-- key; PostgreSQL holds them so every API process shares one limit per user, and the row lock of the
-- upsert makes concurrent requests of one user take tokens one after another.
CREATE TABLE rate_buckets (
  bucket       text PRIMARY KEY,
  tokens       double precision NOT NULL,
  refilled_at  timestamptz NOT NULL,
  granted      boolean NOT NULL
);
