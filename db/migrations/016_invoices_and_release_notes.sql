-- M-3 invoice presentation: the invoices the billing system (X-7) issued, imported by the
-- invoice-run workflow (one row per company and period, first import wins: idempotent), their
-- lines, and the outcome of each invoice dispute (S-6: a service request about the invoice).
-- M-4: release notes and training material ("Opplæring") shown on Home beside operational messages.

CREATE TABLE invoices (
  number        text PRIMARY KEY,
  company_id    text NOT NULL REFERENCES companies (id),
  period        text NOT NULL CHECK (period ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  issue_date    date NOT NULL,
  due_date      date NOT NULL,
  currency      text NOT NULL DEFAULT 'NOK',
  -- øre, exact integers (M-3.2): total = net + vat
  net_ore       bigint NOT NULL,
  vat_ore       bigint NOT NULL,
  total_ore     bigint NOT NULL,
  vat_rate_pct  integer NOT NULL,
  imported_at   timestamptz NOT NULL DEFAULT now(),
  imported_by   text NOT NULL,
  UNIQUE (company_id, period),
  CHECK (total_ore = net_ore + vat_ore)
);
CREATE INDEX invoices_company ON invoices (company_id, period DESC);

CREATE TABLE invoice_lines (
  invoice_number  text NOT NULL REFERENCES invoices (number),
  line_no         integer NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('monthly_rent', 'establishment', 'cancellation')),
  description     text NOT NULL,
  product_code    text NOT NULL,
  -- the portfolio product's number (rent) or the order line (establishment, cancellation)
  product_number  text,
  order_line      text,
  from_date       date NOT NULL,
  to_date         date NOT NULL,
  days            integer,
  unit_ore        bigint NOT NULL,
  amount_ore      bigint NOT NULL,
  PRIMARY KEY (invoice_number, line_no)
);

-- M-3.4: what the wholesaler decided on a dispute (a service request about the invoice): one per SR.
CREATE TABLE invoice_outcomes (
  invoice_number   text NOT NULL REFERENCES invoices (number),
  service_request  text NOT NULL,
  outcome          text NOT NULL CHECK (outcome IN ('credit_note', 'rejected')),
  credit_ore       bigint CHECK (credit_ore IS NULL OR credit_ore > 0),
  note             text NOT NULL,
  decided_by       text NOT NULL,
  decided_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (invoice_number, service_request),
  CHECK ((outcome = 'credit_note') = (credit_ore IS NOT NULL))
);

CREATE TABLE release_notes (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind          text NOT NULL CHECK (kind IN ('release_note', 'training')),
  title         text NOT NULL,
  body          text NOT NULL,
  link          text,
  -- shown from this instant (planned ahead when in the future)
  published_at  timestamptz NOT NULL,
  published_by  text NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  withdrawn_at  timestamptz,
  withdrawn_by  text
);
CREATE INDEX release_notes_shown ON release_notes (published_at DESC) WHERE withdrawn_at IS NULL;
