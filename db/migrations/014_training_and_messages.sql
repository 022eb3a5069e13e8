-- A-3 (deck slide 8): ordering, full access and the fault module need training first; the flags a
-- handler records when a user has had it. M-4: operational messages ("Driftsmeldinger": known faults
-- and planned work) shown on Home and beside trouble tickets of the products and areas they cover.

ALTER TABLE users ADD COLUMN training text[] NOT NULL DEFAULT '{}'
  CHECK (training <@ ARRAY['ordering', 'full', 'fault']::text[]);

CREATE TABLE operational_messages (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind           text NOT NULL CHECK (kind IN ('fault', 'planned_work')),
  title          text NOT NULL,
  body           text NOT NULL,
  -- empty arrays: every product / the whole country
  product_codes  text[] NOT NULL DEFAULT '{}',
  municipalities text[] NOT NULL DEFAULT '{}',
  postcodes      text[] NOT NULL DEFAULT '{}',
  starts_at      timestamptz NOT NULL,
  ends_at        timestamptz,
  published_by   text NOT NULL,
  published_at   timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  withdrawn_at   timestamptz,
  withdrawn_by   text,
  CHECK (ends_at IS NULL OR ends_at > starts_at)
);
CREATE INDEX operational_messages_window ON operational_messages (starts_at, ends_at) WHERE withdrawn_at IS NULL;
