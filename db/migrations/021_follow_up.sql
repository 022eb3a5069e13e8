-- Status follow-up for resellers (O-14…O-17, G-3, G-4; issue 15): what the order and order-line lists
-- filter, sort and search on, fast at 100,000+ cases, and attachments deleted from their case.

-- G-4: an attachment deleted from its case keeps its row (who deleted it, when) but not its bytes.
ALTER TABLE attachments ADD COLUMN deleted_at timestamptz, ADD COLUMN deleted_by text;

-- Lists filtered by status (order lines by line status, every case type by its own), newest first.
CREATE INDEX cases_company_status ON cases (company_id, case_type, status, updated_at DESC);

-- "Created by me" on orders and order lines.
CREATE INDEX cases_created_by ON cases (company_id, case_type, (detail ->> 'createdBy'), updated_at DESC) WHERE case_type IN ('order', 'order_line');

-- Date ranges and sorting: a line's Agreed Date, installation date and requested date (O-12, O-14,
-- O-15), an order's requested date. ISO dates as text sort as dates.
CREATE INDEX cases_line_agreed_date ON cases (company_id, (detail ->> 'agreedDate')) WHERE case_type = 'order_line';
CREATE INDEX cases_line_installation_date ON cases (company_id, (detail ->> 'installationDate')) WHERE case_type = 'order_line';
CREATE INDEX cases_line_requested_date ON cases (company_id, (detail ->> 'requestedDate')) WHERE case_type = 'order_line';
CREATE INDEX cases_order_requested_date ON cases (company_id, (detail ->> 'requestedDate')) WHERE case_type = 'order';

-- Search by end user and address: the names and addresses of an order's draft lines and of a
-- submitted line, which its search_text (number, title, refs) does not hold. Lower-case, for the
-- same substring match as search_text, served by a trigram index.
CREATE FUNCTION case_people_and_places(case_type text, detail jsonb) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN lower(CASE case_type
    WHEN 'order' THEN concat_ws(' ',
      jsonb_path_query_array(detail, '$.lines[*].endUser.name')::text,
      jsonb_path_query_array(detail, '$.lines[*].address.label')::text,
      jsonb_path_query_array(detail, '$.lines[*].address.street')::text,
      jsonb_path_query_array(detail, '$.lines[*].address.town')::text)
    WHEN 'order_line' THEN concat_ws(' ',
      detail #>> '{line,endUser,name}', detail #>> '{line,address,label}', detail #>> '{line,address,street}',
      detail #>> '{line,address,town}', detail ->> 'customerOrderId')
    ELSE '' END);
CREATE INDEX cases_people_places_trgm ON cases USING gin (case_people_and_places(case_type, detail) gin_trgm_ops) WHERE case_type IN ('order', 'order_line');
