// Written by the projection in the same transaction as a status change: the case event, the
// e-mails it causes (O-18, Q-13, S-7) and the webhook deliveries. Idempotency keys make a
// retried projection write nothing twice; the dispatchers send what is pending.
import type postgres from 'postgres';
import type { CaseProjection } from '../domain/case';
import { emailAudience, eventType } from '../domain/notifications';
import { type Locale, renderStatusChange, type Templates } from './render';

export interface NotificationSettings {
  templates: Promise<Templates>;
  baseUrl: string;
}

export async function recordStatusChange(tx: postgres.TransactionSql, previousStatus: string | null, p: CaseProjection, settings: NotificationSettings): Promise<void> {
  const type = eventType(p.caseType);
  const [event] = await tx<{ id: string; seq: number }[]>`
    INSERT INTO case_events (case_id, case_type, company_id, number, seq, version, event_type, status, previous_status, occurred_at)
    VALUES (${p.caseId}, ${p.caseType}, ${p.companyId}, ${p.number},
            (SELECT coalesce(max(seq), 0) + 1 FROM case_events WHERE case_id = ${p.caseId}),
            ${p.version}, ${type}, ${p.status}, ${previousStatus}, ${p.updatedAt})
    ON CONFLICT (case_id, version) DO NOTHING
    RETURNING id, seq`;
  if (!event) return; // this change was recorded by an earlier attempt

  await tx`INSERT INTO webhook_deliveries (subscription_id, event_id, case_id, seq)
           SELECT id, ${event.id}, ${p.caseId}, ${event.seq} FROM webhook_subscriptions
           WHERE company_id = ${p.companyId} AND active AND ${type} = ANY(event_types)
           ON CONFLICT DO NOTHING`;

  const [actor] = await tx<{ role: string }[]>`SELECT role FROM users WHERE username = ${p.updatedBy}`;
  const audience = emailAudience(p.caseType, p.status, actor?.role === 'handler', actor?.role === 'reseller' || actor?.role === 'superuser');
  const recipients = await tx<{ email: string; locale: Locale }[]>`
    SELECT email, locale FROM contacts
    WHERE company_id = ${p.companyId} AND (${audience === 'company'} OR notify_all_status_changes)
    ORDER BY email`;
  if (recipients.length === 0) return;
  const templates = await settings.templates;
  for (const r of recipients) {
    const mail = renderStatusChange(
      templates,
      {
        caseType: p.caseType,
        caseId: p.caseId,
        number: p.number,
        status: p.status,
        previousStatus,
        changedBy: p.updatedBy,
        changedAt: p.updatedAt,
        statusText: p.statusText ?? null,
        refs: p.refs,
      },
      r.locale,
      settings.baseUrl,
    );
    await tx`INSERT INTO email_outbox (idempotency_key, case_id, recipient, subject, html, text)
             VALUES (${`${p.caseId}@${p.version}:${r.email}`}, ${p.caseId}, ${r.email}, ${mail.subject}, ${mail.html}, ${mail.text})
             ON CONFLICT (idempotency_key) DO NOTHING`;
  }
}
