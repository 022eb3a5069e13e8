-- A-2, issue 16: the inbox's waiting counts per queue stop at the cap (api/kit/page.ts TOTAL_CAP).
-- Read in the inbox's own order (oldest first) with what its filters look at beside the key, a capped
-- count reads about as many index entries as it counts; migration 017's count index, ordered by type
-- and status, first skipped every entry the filters exclude (30 ms a queue at 1M cases).
CREATE INDEX cases_inbox_queue_counts ON cases (queue, created_at) INCLUDE (case_type, status, company_id, assignee) WHERE queue IS NOT NULL;
