-- Issue 16 (reads at 1M): the order and order-line searches matched `q` against two texts of a case,
-- search_text (number, title, refs) OR case_people_and_places (end users and addresses), each served by
-- its own trigram index: four GIN scans per line search (the line's two, its order's two). Words most
-- cases share (every bench fixture's end user is "Bench Kunde …") cost each scan their trigrams' whole
-- posting lists (~750 pages at 1M): the line search took 80–120 ms. One text per case, one index per
-- type, halves the scans (EXPLAIN ANALYZE at 1M: 38–42 ms for the same searches); a line is now searched
-- by its own text alone (api/routes/order-lists.ts searchedLines), one scan.
CREATE FUNCTION case_order_text(case_type text, search_text text, detail jsonb) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN search_text || ' ' || case_people_and_places(case_type, detail);
CREATE INDEX cases_order_text_trgm ON cases USING gin (case_order_text(case_type, search_text, detail) gin_trgm_ops) WHERE case_type = 'order';
CREATE INDEX cases_line_text_trgm ON cases USING gin (case_order_text(case_type, search_text, detail) gin_trgm_ops) WHERE case_type = 'order_line';
DROP INDEX cases_order_search_trgm;
DROP INDEX cases_line_search_trgm;
DROP INDEX cases_order_people_trgm;
DROP INDEX cases_line_people_trgm;
