-- Issue 16 (reads stay flat as the book grows): text search (`q`) in the service-request, order and
-- order-line lists is a substring match served by trigram indexes, whose posting lists hold every
-- case that shares a trigram. Over every case type (cases_search_trgm) or orders and lines together
-- (migration 021's people-and-places index), a search read the other types' entries too: at 1M
-- cases "bench kunde 123456" in the line list read 15,070 index pages. These lists search one case
-- type per condition (api/routes/order-lists.ts searchedOrders/searchedLines, service-requests.ts),
-- so each type gets its own trigram index: 6,641 pages for that search, 786 (was 2,710) for a
-- Customer Order Id in the order list, 902 (was 1,318) for an SR's text. cases_search_trgm stays for
-- the lists searching across types (handler inbox) and the smaller types.
CREATE INDEX cases_sr_search_trgm ON cases USING gin (search_text gin_trgm_ops) WHERE case_type = 'service_request';
CREATE INDEX cases_order_search_trgm ON cases USING gin (search_text gin_trgm_ops) WHERE case_type = 'order';
CREATE INDEX cases_line_search_trgm ON cases USING gin (search_text gin_trgm_ops) WHERE case_type = 'order_line';
CREATE INDEX cases_order_people_trgm ON cases USING gin (case_people_and_places(case_type, detail) gin_trgm_ops) WHERE case_type = 'order';
CREATE INDEX cases_line_people_trgm ON cases USING gin (case_people_and_places(case_type, detail) gin_trgm_ops) WHERE case_type = 'order_line';
DROP INDEX cases_people_places_trgm;
