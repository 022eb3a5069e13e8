-- Issue 16 (reads at 1M): the handler's quote-line queue (A-2; lines waiting for manual pricing, Q-5…Q-7; longest
-- waiting first) sorted the lines of every queued quote, read from each quote's JSON, on every page:
-- 6,250 queued quotes in the 1M book cost 6,250 heap reads and a sort (EXPLAIN ANALYZE 137 ms, p99 101 ms).
-- The queue now has a row per line of a queued quote, kept by a trigger on the read model (so every writer
-- of a quote's row — the projection activity, the API's first row, a bulk load — keeps it), and an index
-- in the queue's own order: a page reads its rows in order and fetches its quotes' lines only.
CREATE TABLE quote_line_queue (
  case_id        text NOT NULL REFERENCES cases (case_id) ON DELETE CASCADE,
  line_no        integer NOT NULL,
  number         text NOT NULL,
  company_id     text NOT NULL,
  status         text NOT NULL,
  handler        text,
  -- the line's updatedAt (ISO text; '' when it has none, first): the key the queue sorts by
  waiting_since  text NOT NULL,
  PRIMARY KEY (case_id, line_no)
);
CREATE INDEX quote_line_queue_page ON quote_line_queue (waiting_since, number, line_no) INCLUDE (status, company_id, handler);

-- A quote's lines as the queue holds them (the trigger and the backfill below read them alike).
CREATE FUNCTION quote_queue_lines(detail jsonb) RETURNS TABLE (line_no integer, status text, handler text, waiting_since text)
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (l ->> 'lineNo')::int, l ->> 'status', l ->> 'handler', coalesce(l ->> 'updatedAt', '')
    FROM jsonb_array_elements(coalesce(detail -> 'lines', '[]'::jsonb)) l
    WHERE l ? 'lineNo' AND l ? 'status'
  $$;

-- A quote is in the queue while its row has a queue (a line waits, Q-5); its lines are then rows here.
CREATE FUNCTION quote_line_queue_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM quote_line_queue WHERE case_id = NEW.case_id;
  IF NEW.queue IS NOT NULL THEN
    INSERT INTO quote_line_queue (case_id, line_no, number, company_id, status, handler, waiting_since)
    SELECT NEW.case_id, l.line_no, NEW.number, NEW.company_id, l.status, l.handler, l.waiting_since FROM quote_queue_lines(NEW.detail) l;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER cases_quote_line_queue AFTER INSERT OR UPDATE ON cases
  FOR EACH ROW WHEN (NEW.case_type = 'quote') EXECUTE FUNCTION quote_line_queue_sync();

INSERT INTO quote_line_queue (case_id, line_no, number, company_id, status, handler, waiting_since)
SELECT c.case_id, l.line_no, c.number, c.company_id, l.status, l.handler, l.waiting_since
FROM cases c CROSS JOIN LATERAL quote_queue_lines(c.detail) l
WHERE c.case_type = 'quote' AND c.queue IS NOT NULL;
