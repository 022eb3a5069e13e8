// Sends what the outboxes hold: e-mails over SMTP and events to webhook subscriptions. At least
// once, with back-off; a claim is a lease (next_attempt_at moves forward), so a sender that dies
// mid-send leaves its rows to be picked up again, and concurrent senders never share a row.
// Webhooks are delivered in order per case and subscription; after repeated failure a delivery
// is parked (and blocks later ones for that case) until the company replays it. E-mails are sent
// in order per case and recipient the same way, so the last mail shows the current state.
// Webhook targets are checked again at send time and connected to at exactly the checked address
// (address-policy.ts); an ended subscription's deliveries never go out (issue 12 #6, #7).
import { createHmac } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type { Sql } from '../db/client';
import { checkWebhookTarget, type WebhookPolicy } from './address-policy';
import { postToCheckedTarget, type SendOutcome } from './webhook-send';

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
  /** Which callback URLs may be reached; the default refuses plain http and every internal address. */
  webhookPolicy?: WebhookPolicy;
  /** Where the details of failed attempts go (the company sees categories only). */
  log?: (message: string) => void;
}

export interface Dispatcher {
  stop(): Promise<void>;
  runOnce(): Promise<{ emails: number; webhooks: number }>;
}

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
  const policy = options.webhookPolicy ?? {};
  const timeoutMs = options.webhookTimeoutMs ?? 5000;
  const log = options.log ?? ((message: string) => console.warn(message));
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  async function sendEmails(): Promise<number> {
    // the oldest unsent mail per case and recipient only, as for webhooks: a mail waits while an
    // earlier one of its case to the same address is pending (leased or retrying). Outbox ids are
    // in case order: a status change and its mails are one transaction, and a case's changes
    // commit one after another (seq).
    const due = await sql<{ id: string; idempotency_key: string; recipient: string; subject: string; html: string; text: string; attempts: number }[]>`
      UPDATE email_outbox SET next_attempt_at = now() + make_interval(secs => ${LEASE_SECONDS}), attempts = attempts + 1
      WHERE id IN (SELECT m1.id FROM email_outbox m1 WHERE m1.status = 'pending' AND m1.next_attempt_at <= now()
                     AND NOT EXISTS (SELECT 1 FROM email_outbox m0 WHERE m0.case_id = m1.case_id AND m0.recipient = m1.recipient
                                     AND m0.id < m1.id AND m0.status = 'pending')
                   ORDER BY m1.id LIMIT 20 FOR UPDATE SKIP LOCKED)
      RETURNING id, idempotency_key, recipient, subject, html, text, attempts`;
    for (const m of due) {
      try {
        await mailer.sendMail({
          from,
          to: m.recipient,
          subject: m.subject,
          html: m.html,
          text: m.text,
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
    // the oldest undelivered event per subscription and case only: delivery in order per case;
    // an ended subscription's deliveries are never claimed (#7)
    const due = await sql<{ id: string; subscription_id: string; attempts: number; url: string; secret: string; event: Record<string, unknown> }[]>`
      UPDATE webhook_deliveries d SET next_attempt_at = now() + make_interval(secs => ${LEASE_SECONDS}), attempts = d.attempts + 1
      FROM webhook_subscriptions s, case_events e
      WHERE d.id IN (
        SELECT d1.id FROM webhook_deliveries d1
        WHERE d1.status = 'pending' AND d1.next_attempt_at <= now()
          AND EXISTS (SELECT 1 FROM webhook_subscriptions s1 WHERE s1.id = d1.subscription_id AND s1.active)
          AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d0 WHERE d0.subscription_id = d1.subscription_id
                          AND d0.case_id = d1.case_id AND d0.seq < d1.seq AND d0.status <> 'delivered')
        ORDER BY d1.id LIMIT 20 FOR UPDATE SKIP LOCKED)
        AND s.id = d.subscription_id AND s.active AND e.id = d.event_id
      RETURNING d.id, d.subscription_id, d.attempts, s.url, s.secret,
        json_build_object('id', e.id, 'type', e.event_type, 'caseId', e.case_id, 'caseType', e.case_type, 'reference', e.number,
                          'status', e.status, 'previousStatus', e.previous_status, 'sequence', e.seq, 'occurredAt', e.occurred_at) AS event`;
    await Promise.all(
      due.map(async (d) => {
        const body = JSON.stringify(d.event);
        let outcome: SendOutcome;
        // resolve and check at send time: the name may point elsewhere than at registration
        const target = await checkWebhookTarget(d.url, policy);
        if (!target.ok) {
          outcome = { ok: false, failure: 'address_refused', detail: target.detail };
        } else {
          // the subscription may have ended while the name resolved: the last look before connecting
          const [live] = await sql`SELECT 1 AS live FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
                                 WHERE d.id = ${d.id} AND d.status = 'pending' AND s.active`;
          if (!live) {
            await sql`UPDATE webhook_deliveries SET status = 'cancelled' WHERE id = ${d.id} AND status = 'pending'`;
            return;
          }
          outcome = await postToCheckedTarget(
            target,
            body,
            {
              'Content-Type': 'application/json',
              'Samband-Event-Id': String(d.event.id),
              'Samband-Signature': signature(d.secret, Math.floor(Date.now() / 1000), body),
            },
            timeoutMs,
          );
        }
        if (outcome.ok) {
          await sql`UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now(), last_error = NULL WHERE id = ${d.id}`;
          return;
        }
        log(`webhook delivery ${d.id} (subscription ${d.subscription_id}, attempt ${d.attempts}): ${outcome.failure}: ${outcome.detail}`);
        const parked = d.attempts >= maxWebhookAttempts;
        const delay = backoff(d.attempts, base, maxBackoff);
        // only the category is shown to the company; a delivery cancelled meanwhile stays cancelled
        await sql`UPDATE webhook_deliveries SET status = ${parked ? 'parked' : 'pending'}, last_error = ${outcome.failure},
                next_attempt_at = now() + make_interval(secs => ${delay / 1000}) WHERE id = ${d.id} AND status = 'pending'`;
      }),
    );
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

// `tsx notifications/dispatcher.ts` runs the dispatcher alone (DATABASE_URL; SMTP_URL or the dev inbox's
// port): the cluster profile runs it beside its workers. Leases let any number of them run side by side.
if (process.argv[1] && (await import('node:url')).fileURLToPath(import.meta.url) === process.argv[1]) {
  const { loadConfig } = await import('../config');
  const { connect } = await import('../db/client');
  const { createTransport } = await import('nodemailer');
  const config = loadConfig();
  if (!config.DATABASE_URL) {
    console.error('the dispatcher alone needs DATABASE_URL; `npm start` runs everything with embedded defaults');
    process.exit(2);
  }
  const sql = connect(config.DATABASE_URL, { role: 'dispatcher', statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS, idleInTransactionTimeoutMs: config.PG_IDLE_IN_TRANSACTION_TIMEOUT_MS });
  const mailer = createTransport(config.SMTP_URL ?? `smtp://127.0.0.1:${config.DEV_INBOX_SMTP_PORT}`);
  const dispatcher = startDispatcher({ sql, mailer, from: config.MAIL_FROM, webhookPolicy: { allowHttp: config.WEBHOOKS_ALLOW_HTTP } });
  console.log('dispatcher: sending e-mails and webhooks');
  const stop = async () => {
    await dispatcher.stop();
    await sql.end({ timeout: 5 });
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
