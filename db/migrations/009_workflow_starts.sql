-- Workflow starts waiting to be sent to Temporal (a transactional outbox). A case's first read-model
-- row and its start are written in one transaction; the start is sent after the commit, never from
-- inside it (no PostgreSQL transaction stays open across a Temporal call). A crash between the commit
-- and the start leaves the row here, and the start sweeper sends it (the workflow ID makes a second
-- start harmless).
CREATE TABLE workflow_starts (
  case_id       text PRIMARY KEY,
  workflow_type text NOT NULL,
  task_queue    text NOT NULL,
  args          jsonb NOT NULL,
  search        jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  attempts      integer NOT NULL DEFAULT 0,
  last_error    text
);
CREATE INDEX workflow_starts_created ON workflow_starts (created_at);
