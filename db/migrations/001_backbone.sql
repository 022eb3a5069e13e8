-- Backbone: identities (A-1…A-5), the case read model, audit (A-4), idempotency, attachments (G-4).

CREATE TABLE companies (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  org_number  text NOT NULL UNIQUE,
  kind        text NOT NULL CHECK (kind IN ('reseller', 'wholesaler'))
);

CREATE TABLE users (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username       text NOT NULL UNIQUE,
  full_name      text NOT NULL,
  email          text NOT NULL,
  phone          text,
  password_hash  text NOT NULL,
  role           text NOT NULL CHECK (role IN ('reseller', 'superuser', 'handler', 'ops')),
  access_type    text CHECK (access_type IN ('read', 'ordering', 'full')),
  company_id     text REFERENCES companies (id),
  department     text,
  locale         text NOT NULL DEFAULT 'nb' CHECK (locale IN ('nb', 'en')),
  disabled       boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  -- A-1/A-3: external users belong to a company and have an access type; handlers and ops do not.
  CHECK ((role IN ('reseller', 'superuser')) = (company_id IS NOT NULL AND access_type IS NOT NULL))
);

CREATE TABLE sessions (
  token_hash    text PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES users (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  ended_at      timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id);

-- The read model of every case, written by idempotent activities (newer version wins).
CREATE TABLE cases (
  case_id     text PRIMARY KEY,
  case_type   text NOT NULL,
  number      text NOT NULL UNIQUE,
  company_id  text NOT NULL REFERENCES companies (id),
  status      text NOT NULL,
  title       text NOT NULL,
  refs        jsonb NOT NULL DEFAULT '{}',
  open_key    text,
  queue       text,
  version     integer NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  updated_by  text NOT NULL,
  detail      jsonb NOT NULL,
  search_text text GENERATED ALWAYS AS (lower(number || ' ' || title || ' ' || refs::text)) STORED
);
CREATE INDEX cases_company_list ON cases (company_id, case_type, updated_at DESC);
CREATE INDEX cases_queue ON cases (queue, status, updated_at) WHERE queue IS NOT NULL;
CREATE INDEX cases_reference ON cases (company_id, case_type, (refs ->> 'reference'));
-- S-2: at most one open case per company and matter.
CREATE UNIQUE INDEX cases_open_key ON cases (company_id, open_key) WHERE open_key IS NOT NULL;

CREATE SEQUENCE service_request_number_seq;

-- A-4: who did what, when, on which case, and how it ended.
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  username    text NOT NULL,
  company_id  text,
  case_id     text,
  action      text NOT NULL,
  outcome     text NOT NULL,
  status_code integer,
  request_id  text,
  detail      jsonb NOT NULL DEFAULT '{}',
  -- set by workflow activities so a retried activity writes its row once
  dedupe_key  text UNIQUE
);
CREATE INDEX audit_case ON audit_log (case_id, at);
CREATE INDEX audit_company ON audit_log (company_id, at);

-- Every POST that creates a case honours Idempotency-Key: the first answer is kept and replayed.
CREATE TABLE idempotency_keys (
  user_id        uuid NOT NULL REFERENCES users (id),
  key            text NOT NULL,
  request_hash   text NOT NULL,
  status_code    integer,
  response       jsonb,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);

-- G-4: attachments belong to a company; cases refer to them by id.
CREATE TABLE attachments (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id    text NOT NULL REFERENCES companies (id),
  filename      text NOT NULL,
  content_type  text NOT NULL,
  size_bytes    integer NOT NULL,
  data          bytea NOT NULL,
  uploaded_by   text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
