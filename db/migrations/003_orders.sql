-- Orders (O-1…O-20): order numbers ORD-000042; lines are ORD-000042:1 (rows in the cases read model).
CREATE SEQUENCE order_number_seq;
-- O-19: open lines of a company by duplicate key (end-user address, product, requested service).
CREATE INDEX cases_order_line_duplicate ON cases (company_id, (refs ->> 'duplicateKey')) WHERE case_type = 'order_line';
-- the lines of an order
CREATE INDEX cases_order_line_order ON cases ((refs ->> 'orderNumber')) WHERE case_type = 'order_line';
