// Plain e-mails that are not a case's status change (a password link, a moved delivery date, a
// handler's comment): queued in the same outbox the dispatcher sends from, once per idempotency key.
import type { Queryable } from '../db/client';

export interface PlainMail {
  /** A retried writer never queues the same e-mail twice. */
  idempotencyKey: string;
  /** The case (or `user:<username>`) the e-mail is about. */
  caseId: string;
  recipient: string;
  subject: string;
  text: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export async function queuePlainMail(sql: Queryable, mail: PlainMail): Promise<void> {
  const html = `<!doctype html><html><body><pre style="font-family: sans-serif; white-space: pre-wrap">${escapeHtml(mail.text)}</pre></body></html>`;
  await sql`INSERT INTO email_outbox (idempotency_key, case_id, recipient, subject, html, text)
            VALUES (${mail.idempotencyKey}, ${mail.caseId}, ${mail.recipient}, ${mail.subject}, ${html}, ${mail.text})
            ON CONFLICT (idempotency_key) DO NOTHING`;
}

/** Every contact of a company, with the language each reads (O-18: the company's registered addresses). */
export async function companyContacts(sql: Queryable, companyId: string): Promise<Array<{ email: string; locale: 'nb' | 'en' }>> {
  return sql<{ email: string; locale: 'nb' | 'en' }[]>`SELECT email, locale FROM contacts WHERE company_id = ${companyId} ORDER BY email`;
}
