-- Outbound requests (issue 12 #6–#8).

-- #7: an ended subscription's deliveries are cancelled, never sent.
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_status_check;
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_status_check
  CHECK (status IN ('pending', 'delivered', 'parked', 'cancelled'));
UPDATE webhook_deliveries d SET status = 'cancelled'
  FROM webhook_subscriptions s
  WHERE s.id = d.subscription_id AND NOT s.active AND d.status IN ('pending', 'parked');

-- #6: deliveries show a coarse failure category only; older rows held raw messages and exact
-- statuses (a port-scan oracle for the company that reads them).
UPDATE webhook_deliveries SET last_error = CASE
    WHEN last_error ~ 'HTTP 3\d\d' THEN 'redirect_refused'
    WHEN last_error ~ 'HTTP 4\d\d' THEN 'http_4xx'
    WHEN last_error ~ 'HTTP \d+' THEN 'http_5xx'
    WHEN last_error ~* 'timeout|aborted' THEN 'timeout'
    ELSE 'connection_failed' END
  WHERE last_error IS NOT NULL
    AND last_error NOT IN ('address_refused', 'connection_failed', 'timeout', 'redirect_refused', 'http_4xx', 'http_5xx');

-- #8: e-mails go out in case order per recipient: the sender looks for an earlier pending mail
-- of the same case and address.
CREATE INDEX email_outbox_case_order ON email_outbox (case_id, recipient, id) WHERE status = 'pending';
