-- The handler's tools and user administration (issue 15; A-1…A-5, C-5, O-17, O-19, S-4).

-- One inbox over every case that waits for the wholesaler (cases.queue set), oldest first (A-2).
-- The partial indexes hold only the waiting cases, so the inbox and its counts per queue read a
-- small part of the read model however many closed cases there are (benchmark: 100,000 cases).
-- The handler who holds a case (A-2) is in refs (the workflows write it); a generated column lets an index
-- carry it, so the counts per queue, also by assignee, are index-only scans.
ALTER TABLE cases ADD COLUMN assignee text GENERATED ALWAYS AS (refs ->> 'assignee') STORED;
CREATE INDEX cases_inbox ON cases (created_at, number) WHERE queue IS NOT NULL;
CREATE INDEX cases_inbox_queue ON cases (queue, created_at, number) WHERE queue IS NOT NULL;
CREATE INDEX cases_inbox_assignee ON cases (assignee, created_at) WHERE queue IS NOT NULL;
CREATE INDEX cases_inbox_counts ON cases (queue, case_type, status) INCLUDE (created_at, company_id, assignee) WHERE queue IS NOT NULL;

-- Switch-ISP and termination cases are in the order-handling queue until they are done, and lines held
-- as Duplicate wait for a handler's decision (O-19); rows written before this change get their queue here
-- (the workflows write it with their next change).
UPDATE cases SET queue = 'order-handling'
WHERE queue IS NULL AND ((case_type IN ('switch_isp', 'termination') AND status IN ('Registered', 'In Progress'))
                         OR (case_type = 'order_line' AND status = 'Duplicate'));

-- Internal notes (handlers only) and customer-visible comments on any case (A-2, G-3), with the
-- handler's attachments (an SR answer "som vedlegg", deck slide 93).
CREATE TABLE case_notes (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id      text NOT NULL,
  company_id   text NOT NULL REFERENCES companies (id),
  visibility   text NOT NULL CHECK (visibility IN ('internal', 'customer')),
  body         text NOT NULL,
  attachments  jsonb NOT NULL DEFAULT '[]',
  author       text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_notes_case ON case_notes (case_id, created_at);

-- User administration (A-3, A-4, A-5): who created a user, and when, why and by whom a user was closed.
ALTER TABLE users
  ADD COLUMN created_by    text,
  ADD COLUMN closed_at     timestamptz,
  ADD COLUMN closed_reason text CHECK (closed_reason IN ('misuse', 'leaving')),
  ADD COLUMN closed_by     text;
CREATE INDEX users_company ON users (company_id, username) WHERE company_id IS NOT NULL;

-- A contact that is the same person as a user (O-18 e-mails, A-4 contact details) is linked to them.
ALTER TABLE contacts ADD COLUMN user_id uuid REFERENCES users (id);
CREATE UNIQUE INDEX contacts_user ON contacts (user_id) WHERE user_id IS NOT NULL;
