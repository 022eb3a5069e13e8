-- Notifications (O-18, Q-13, S-7): contacts, the per-case event log, and the outboxes that the
-- projection writes in the same transaction as the status change they report.

CREATE TABLE contacts (
  id                         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id                 text NOT NULL REFERENCES companies (id),
  name                       text NOT NULL,
  email                      text NOT NULL,
  -- O-18: a personal address or the company's shared customer-service address
  kind                       text NOT NULL CHECK (kind IN ('personal', 'shared')),
  -- O-18: "notification on status update": an e-mail on every status change
  notify_all_status_changes  boolean NOT NULL DEFAULT false,
  locale                     text NOT NULL DEFAULT 'nb' CHECK (locale IN ('nb', 'en')),
  created_at                 timestamptz NOT NULL DEFAULT now(),
  UNIQUE (company_id, email)
);

-- One row per status change of a case; `position` orders the polling feed, `seq` is per case.
CREATE TABLE case_events (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  position         bigserial UNIQUE,
  case_id          text NOT NULL,
  case_type        text NOT NULL,
  company_id       text NOT NULL,
  number           text NOT NULL,
  seq              integer NOT NULL,
  version          integer NOT NULL,
  event_type       text NOT NULL,
  status           text NOT NULL,
  previous_status  text,
  occurred_at      timestamptz NOT NULL,
  UNIQUE (case_id, seq),
  UNIQUE (case_id, version)
);
CREATE INDEX case_events_feed ON case_events (company_id, position);

CREATE TABLE email_outbox (
  id               bigserial PRIMARY KEY,
  -- case, status change, recipient: a retried projection never queues the same e-mail twice
  idempotency_key  text NOT NULL UNIQUE,
  case_id          text NOT NULL,
  recipient        text NOT NULL,
  subject          text NOT NULL,
  html             text NOT NULL,
  text             text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz
);
CREATE INDEX email_outbox_due ON email_outbox (next_attempt_at) WHERE status = 'pending';

CREATE TABLE webhook_subscriptions (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id   text NOT NULL REFERENCES companies (id),
  url          text NOT NULL,
  secret       text NOT NULL,
  event_types  text[] NOT NULL,
  active       boolean NOT NULL DEFAULT true,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
  id               bigserial PRIMARY KEY,
  subscription_id  uuid NOT NULL REFERENCES webhook_subscriptions (id),
  event_id         uuid NOT NULL REFERENCES case_events (id),
  case_id          text NOT NULL,
  seq              integer NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'parked')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_error       text,
  delivered_at     timestamptz,
  UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (subscription_id, case_id, seq);
