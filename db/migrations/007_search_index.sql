-- Search in lists (`q`) is a substring match on search_text: a trigram index keeps it fast at
-- 100,000+ cases (benchmark target: search p99 ≤ 50 ms).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX cases_search_trgm ON cases USING gin (search_text gin_trgm_ops);
