-- A-2, issue 16: the inbox's waiting counts per queue stop at the cap (api/kit/page.ts TOTAL_CAP).
-- Read in the inbox's own order (oldest first) with what its filters look at beside the key, a capped
-- count reads about as many index entries as it counts; migration 017's count index, ordered by type
-- and status, first skipped every entry the filters exclude (30 ms a queue at 1M cases).
CREATE INDEX cases_inbox_queue_counts ON cases (queue, created_at) INCLUDE (case_type, status, company_id, assignee) WHERE queue IS NOT NULL;

-- The fault desk (M-2.4): missed targets first, then warnings, then the oldest change
-- (api/routes/trouble-tickets.ts, the same expression).
CREATE INDEX cases_fault_desk_page ON cases (queue, (CASE refs ->> 'escalation' WHEN 'breached' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END), updated_at, number)
  WHERE case_type = 'trouble_ticket' AND queue IS NOT NULL;

-- A-2: the switch and termination desks read two queues as one, oldest change first.
CREATE INDEX cases_portfolio_order_desk_page ON cases (case_type, updated_at, number) WHERE queue IN ('order-handling', 'order-follow-up');

-- "Mine" (assignee = a handler): the counts per queue of one handler's cases, one range each
-- (by the assignee index alone every queue's count read all of the handler's cases: 3.8 s at 1M).
CREATE INDEX cases_inbox_assignee_queue ON cases (assignee, queue, created_at) INCLUDE (case_type, status, company_id) WHERE queue IS NOT NULL;
