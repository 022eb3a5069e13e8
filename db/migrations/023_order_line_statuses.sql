-- O-15, issue 16: "orders with a line in this status" without a join per order. The order's read row
-- carries its lines' statuses ({"1": "Registered", "2": "Ordered"}), kept by the database as each line's
-- row is written (the line projections write only their own rows). A line's status merges into the
-- map in one UPDATE of the order's row, so two lines changing at once cannot lose each other's.
ALTER TABLE cases ADD COLUMN line_statuses jsonb NOT NULL DEFAULT '{}';

CREATE FUNCTION cases_line_status_to_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE cases SET line_statuses = line_statuses || jsonb_build_object(split_part(NEW.number, ':', 2), NEW.status)
  WHERE case_type = 'order' AND number = NEW.refs ->> 'orderNumber'
    AND line_statuses ->> split_part(NEW.number, ':', 2) IS DISTINCT FROM NEW.status;
  RETURN NULL;
END $$;
CREATE TRIGGER cases_line_status AFTER INSERT OR UPDATE OF status ON cases
  FOR EACH ROW WHEN (NEW.case_type = 'order_line') EXECUTE FUNCTION cases_line_status_to_order();

-- an order row written after its lines (or written again) starts from the lines already there
CREATE FUNCTION cases_order_line_statuses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.line_statuses := coalesce((SELECT jsonb_object_agg(split_part(l.number, ':', 2), l.status) FROM cases l
                                 WHERE l.case_type = 'order_line' AND l.refs ->> 'orderNumber' = NEW.number), '{}');
  RETURN NEW;
END $$;
CREATE TRIGGER cases_order_line_statuses BEFORE INSERT ON cases
  FOR EACH ROW WHEN (NEW.case_type = 'order') EXECUTE FUNCTION cases_order_line_statuses();

UPDATE cases o SET line_statuses = x.statuses
FROM (SELECT refs ->> 'orderNumber' AS order_number, jsonb_object_agg(split_part(number, ':', 2), status) AS statuses
      FROM cases WHERE case_type = 'order_line' GROUP BY 1) x
WHERE o.case_type = 'order' AND o.number = x.order_number;

-- "created by me", newest change first, with the number for keyset pages (replaces migration 021's)
CREATE INDEX cases_created_by_page ON cases (company_id, case_type, (detail ->> 'createdBy'), updated_at, number) WHERE case_type IN ('order', 'order_line');
DROP INDEX cases_created_by;
-- a rare line status: the orders holding it, found by the map
CREATE INDEX cases_order_line_statuses ON cases USING gin (line_statuses jsonb_path_ops) WHERE case_type = 'order';
