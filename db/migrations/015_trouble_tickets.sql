-- Trouble tickets (M-2): one workflow per ticket; the `cases` read model holds each ticket
-- (case_type 'trouble_ticket', open_key per product while the ticket is open: M-2.3).
CREATE SEQUENCE trouble_ticket_number_seq;
-- the fault desk's queue and the tickets of one product (M-2.3, M-2.7)
CREATE INDEX cases_trouble_ticket_product ON cases (company_id, (refs ->> 'productNumber')) WHERE case_type = 'trouble_ticket';
