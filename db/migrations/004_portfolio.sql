-- Product portfolio (M-1), switch-ISP (I-1…I-7) and termination (T-1…T-3).
CREATE SEQUENCE switch_isp_number_seq;
CREATE SEQUENCE termination_number_seq;

-- One row per holding period of a delivered product: a switch ends the losing operator's row and
-- opens the new company's; a termination ends the row on its date. company_id NULL: a product held
-- by an operator outside this system ("other operators"), which a seed company may take over (I-3).
CREATE TABLE portfolio_products (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  line_id           text NOT NULL,
  company_id        text REFERENCES companies (id),
  operator          text NOT NULL,
  product_code      text NOT NULL,
  product_name      text NOT NULL,
  access_type       text CHECK (access_type IN ('shared', 'full')),
  speed_mbps        integer,
  number            text NOT NULL,
  number_kind       text NOT NULL CHECK (number_kind IN ('phone', 'circuit')),
  address_id        text NOT NULL,
  address_label     text NOT NULL,
  end_user          jsonb NOT NULL,
  end_user_name     text NOT NULL,
  start_date        date NOT NULL,
  end_date          date,
  -- the case that created the row (switch-ISP, order line) or 'seed:<lineId>': idempotent inserts
  source_case_id    text NOT NULL UNIQUE,
  ended_by_case_id  text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  search_text       text GENERATED ALWAYS AS (lower(number || ' ' || address_label || ' ' || product_code || ' ' || product_name || ' ' || end_user_name)) STORED
);
-- a line has one current holder
CREATE UNIQUE INDEX portfolio_current_per_line ON portfolio_products (line_id) WHERE end_date IS NULL;
CREATE INDEX portfolio_company ON portfolio_products (company_id, number);
CREATE INDEX portfolio_number ON portfolio_products (number);
CREATE INDEX portfolio_address ON portfolio_products (address_id);
