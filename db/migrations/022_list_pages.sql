-- Lists stay flat as the book grows (issue 16): every list reads its page from an index that holds
-- its filter's equality columns, then its sort keys, then the unique number (api/kit/page.ts), so an
-- offset first page and a keyset page deep in the list both read one index range. These replace the
-- list indexes of migrations 001 and 021, which ended at updated_at and left ties (and keyset
-- conditions on the number) to a sort over every matching row.

-- A company's cases of one type, newest (or oldest) change first; and by status.
CREATE INDEX cases_company_page ON cases (company_id, case_type, updated_at, number);
CREATE INDEX cases_company_status_page ON cases (company_id, case_type, status, updated_at, number);
DROP INDEX cases_company_list;
DROP INDEX cases_company_status;

-- Handlers see every company: one type (and status) by change.
CREATE INDEX cases_type_page ON cases (case_type, updated_at, number);
CREATE INDEX cases_type_status_page ON cases (case_type, status, updated_at, number);

-- Queues worked oldest change first (department queues, order-line and switch/termination desks).
CREATE INDEX cases_queue_page ON cases (queue, case_type, updated_at, number) WHERE queue IS NOT NULL;
DROP INDEX cases_queue;

-- Orders and order lines sorted by creation, number or status ("created by me" keeps migration 021's index).
CREATE INDEX cases_order_created_page ON cases (company_id, case_type, created_at, number) WHERE case_type IN ('order', 'order_line');
CREATE INDEX cases_order_number_page ON cases (company_id, case_type, number) WHERE case_type IN ('order', 'order_line');
CREATE INDEX cases_order_status_sort ON cases (company_id, case_type, status, number) WHERE case_type IN ('order', 'order_line');

-- Dates a case may not have yet sort last either way: descending by coalesce(…, ''), ascending by
-- coalesce(…, '9999-12-31') (api/routes/order-lists.ts dateKey), the same expressions as here.
CREATE INDEX cases_line_agreed_desc ON cases (company_id, coalesce(detail ->> 'agreedDate', ''), number) WHERE case_type = 'order_line';
CREATE INDEX cases_line_agreed_asc ON cases (company_id, coalesce(detail ->> 'agreedDate', '9999-12-31'), number) WHERE case_type = 'order_line';
CREATE INDEX cases_line_status_agreed_desc ON cases (company_id, status, coalesce(detail ->> 'agreedDate', ''), number) WHERE case_type = 'order_line';
CREATE INDEX cases_line_installation_desc ON cases (company_id, coalesce(detail ->> 'installationDate', ''), number) WHERE case_type = 'order_line';
CREATE INDEX cases_line_installation_asc ON cases (company_id, coalesce(detail ->> 'installationDate', '9999-12-31'), number) WHERE case_type = 'order_line';
CREATE INDEX cases_line_requested_desc ON cases (company_id, coalesce(detail ->> 'requestedDate', ''), number) WHERE case_type = 'order_line';
CREATE INDEX cases_line_requested_asc ON cases (company_id, coalesce(detail ->> 'requestedDate', '9999-12-31'), number) WHERE case_type = 'order_line';
CREATE INDEX cases_order_requested_desc ON cases (company_id, coalesce(detail ->> 'requestedDate', ''), number) WHERE case_type = 'order';
CREATE INDEX cases_order_requested_asc ON cases (company_id, coalesce(detail ->> 'requestedDate', '9999-12-31'), number) WHERE case_type = 'order';

-- The event feed filtered by type.
CREATE INDEX case_events_feed_type ON case_events (company_id, event_type, position);

-- The portfolio: current products first, by number (api/routes/portfolio.ts).
CREATE INDEX portfolio_page ON portfolio_products (company_id, (end_date IS NOT NULL), number, start_date, id);
