// Sends what the outboxes hold: e-mails over SMTP and events to webhook subscriptions. At least
// once, with back-off; a claim is a lease (next_attempt_at moves forward), so a sender that dies
// mid-send leaves its rows to be picked up again, and concurrent senders never share a row.
// Webhooks are delivered in order per case and subscription; after repeated failure a delivery
// is parked (and blocks later ones for that case) until the company replays it.
import { createHmac } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type { Sql } from '../db/client';

export interface DispatcherOptions {
  sql: Sql;
  mailer: Transporter;
  from?: string;
  /** how often to look for due work when idle */
  pollMs?: number;
  /** webhook: attempts before a delivery is parked */
  maxWebhookAttempts?: number;
  /** first retry delay; doubles per attempt up to maxBackoffMs */
  backoffMs?: number;
  maxBackoffMs?: number;
  webhookTimeoutMs?: number;
  fetch?: typeof fetch;
}

export interface Dispatcher { stop(): Promise<void>; runOnce(): Promise<{ emails: number; webhooks: number }> }

const LEASE_SECONDS = 60;

export function backoff(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

export function signature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function startDispatcher(options: DispatcherOptions): Dispatcher {
  const { sql, mailer } = options;
  const from = options.from ?? 'Samband <no-reply@samband.example>';
  const pollMs = options.pollMs ?? 1000;
  const base = options.backoffMs ?? 1000;
  const maxBackoff = options.maxBackoffMs ?? 5 * 60_000;
  const maxWebhookAttempts = options.maxWebhookAttempts ?? 8;
  const doFetch = options.fetch ?? fetch;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  async function sendEmails(): Promise<number> {
    const due = await sql<{ id: string; idempotency_key: string; recipient: string; subject: string; html: string; text: string; attempts: number }[]>`
      UPDATE email_outbox SET next_attempt_at = now() + make_interval(secs => ${LEASE_SECONDS}), attempts = attempts + 1
      WHERE id IN (SELECT id FROM email_outbox WHERE status = 'pending' AND next_attempt_at <= now()
                   ORDER BY id LIMIT 20 FOR UPDATE SKIP LOCKED)
      RETURNING id, idempotency_key, recipient, subject, html, text, attempts`;
    for (const m of due) {
      try {
        await mailer.sendMail({
          from, to: m.recipient, subject: m.subject, html: m.html, text: m.text,
          messageId: `<${m.idempotency_key.replace(/[^\w.@-]/g, '.')}@samband>`,
        });
        await sql`UPDATE email_outbox SET status = 'sent', sent_at = now(), last_error = NULL WHERE id = ${m.id}`;
      } catch (err) {
        // SMTP down delays delivery, nothing more
        const delay = backoff(m.attempts, base, maxBackoff);
        await sql`UPDATE email_outbox SET next_attempt_at = now() + make_interval(secs => ${delay / 1000}), last_error = ${String(err)} WHERE id = ${m.id}`;
      }
    }
    return due.length;
  }

  async function deliverWebhooks(): Promise<number> {
    // the oldest undelivered event per subscription and case only: delivery in order per case
    const due = await sql<{ id: string; attempts: number; url: string; secret: string; event: Record<string, unknown> }[]>`
      UPDATE webhook_deliveries d SET next_attempt_at = now() + make_interval(secs => ${LEASE_SECONDS}), attempts = d.attempts + 1
      FROM webhook_subscriptions s, case_events e
      WHERE d.id IN (
        SELECT d1.id FROM webhook_deliveries d1
        WHERE d1.status = 'pending' AND d1.next_attempt_at <= now()
          AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d0 WHERE d0.subscription_id = d1.subscription_id
                          AND d0.case_id = d1.case_id AND d0.seq < d1.seq AND d0.status <> 'delivered')
        ORDER BY d1.id LIMIT 20 FOR UPDATE SKIP LOCKED)
        AND s.id = d.subscription_id AND e.id = d.event_id
      RETURNING d.id, d.attempts, s.url, s.secret,
        json_build_object('id', e.id, 'type', e.event_type, 'caseId', e.case_id, 'caseType', e.case_type, 'reference', e.number,
                          'status', e.status, 'previousStatus', e.previous_status, 'sequence', e.seq, 'occurredAt', e.occurred_at) AS event`;
    await Promise.all(due.map(async (d) => {
      const body = JSON.stringify(d.event);
      try {
        const res = await doFetch(d.url, {
          method: 'POST', body, signal: AbortSignal.timeout(options.webhookTimeoutMs ?? 5000),
          headers: {
            'Content-Type': 'application/json',
            'Samband-Event-Id': String(d.event.id),
            'Samband-Signature': signature(d.secret, Math.floor(Date.now() / 1000), body),
          },
        });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        await sql`UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now(), last_error = NULL WHERE id = ${d.id}`;
      } catch (err) {
        const parked = d.attempts >= maxWebhookAttempts;
        const delay = backoff(d.attempts, base, maxBackoff);
        await sql`UPDATE webhook_deliveries SET status = ${parked ? 'parked' : 'pending'}, last_error = ${String(err)},
                  next_attempt_at = now() + make_interval(secs => ${delay / 1000}) WHERE id = ${d.id}`;
      }
    }));
    return due.length;
  }

  async function runOnce() {
    const [emails, webhooks] = await Promise.all([sendEmails(), deliverWebhooks()]);
    return { emails, webhooks };
  }

  async function loop() {
    if (stopped) return;
    let busy = false;
    try {
      const done = await (running = runOnce());
      busy = done.emails + done.webhooks > 0;
    } catch (err) {
      // database unavailable: try again later, the outbox keeps everything
      if (!stopped) console.error('dispatcher:', err instanceof Error ? err.message : err);
    }
    if (!stopped) timer = setTimeout(() => void loop(), busy ? 0 : pollMs);
  }
  timer = setTimeout(() => void loop(), 0);

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => {});
    },
  };
}
