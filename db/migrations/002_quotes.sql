-- Quotes (Q-1…Q-11): case numbers Q-000001…; the quote itself lives in its workflow and in the
-- `cases` read model (case_type 'quote', detail = the workflow's view with its lines).
CREATE SEQUENCE quote_number_seq;

-- The handler queue of quote lines awaiting manual pricing reads the lines of quotes in the
-- sales-support queue (cases.queue), oldest change first.
CREATE INDEX cases_quote_queue ON cases (updated_at) WHERE case_type = 'quote' AND queue IS NOT NULL;
