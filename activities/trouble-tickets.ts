// M-2.4: the escalation of a trouble ticket whose repair-time target is about to be missed or was
// missed, by e-mail to the fault desk: the handler who took the ticket, or every handler while nobody
// has. Written to the e-mail outbox (the dispatcher sends it), once per ticket, level and recipient.
import type { Sql } from '../db/client';

export interface EscalationNotice {
  caseId: string;
  number: string;
  companyId: string;
  level: 'warning' | 'breached';
  handler: string | null;
  productNumber: string;
  productCode: string;
  severity: string;
  text: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function createTroubleTicketActivities(deps: { sql: Sql; publicBaseUrl?: string }) {
  const { sql } = deps;
  const baseUrl = (deps.publicBaseUrl ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
  return {
    /** Idempotent: the key is the ticket, the level and the recipient. Answers how many e-mails were queued. */
    async notifyTroubleTicketEscalation(n: EscalationNotice): Promise<number> {
      const recipients = await sql<{ email: string }[]>`
        SELECT email FROM users WHERE role = 'handler' AND NOT disabled
          AND (${n.handler}::text IS NULL OR username = ${n.handler}) ORDER BY email`;
      const subject = `${n.level === 'warning' ? 'Escalation warning' : 'Escalation: repair target missed'} — trouble ticket ${n.number} (${n.severity})`;
      const url = `${baseUrl}/v1/handler/trouble-tickets?escalation=${n.level}`;
      const text = `${n.text}\n\nTicket ${n.number}, product ${n.productCode} ${n.productNumber}, company ${n.companyId}.\n${url}\n`;
      const html = `<p>${escapeHtml(n.text)}</p><p>Ticket <strong>${escapeHtml(n.number)}</strong>, product ${escapeHtml(n.productCode)} ${escapeHtml(n.productNumber)}, company ${escapeHtml(n.companyId)}.</p><p><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>`;
      let queued = 0;
      for (const r of recipients) {
        const rows = await sql`INSERT INTO email_outbox (idempotency_key, case_id, recipient, subject, html, text)
                 VALUES (${`${n.caseId}:escalation:${n.level}:${r.email}`}, ${n.caseId}, ${r.email}, ${subject}, ${html}, ${text})
                 ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`;
        queued += rows.length;
      }
      return queued;
    },
  };
}

export type TroubleTicketActivities = ReturnType<typeof createTroubleTicketActivities>;
