// S-4 Brukeradministrasjon: the user change a service request's completion carries, applied once per
// SR (dedupe key), and the e-mail that tells a company its order line's date moved (C-5). Idempotent.
import { ApplicationFailure } from '@temporalio/common';
import type { Sql } from '../db/client';
import { applyUserChange } from '../db/user-admin';
import type { UserChange } from '../domain/user-admin';
import { companyContacts, queuePlainMail } from '../notifications/plain-mail';

export interface UserAdminDeps {
  sql: Sql;
  publicBaseUrl?: string;
}

export interface LineDatesMail {
  caseId: string;
  number: string;
  companyId: string;
  version: number;
  agreedDate: { from: string | null; to: string } | null;
  installationDate: { from: string | null; to: string } | null;
  reason: string;
}

export function createUserAdminActivities(deps: UserAdminDeps) {
  return {
    async applyUserChange(a: { companyId: string; change: UserChange; by: string; requestCaseId: string; dedupeKey: string }): Promise<{ username: string; applied: boolean }> {
      const outcome = await applyUserChange(deps.sql, { ...a, baseUrl: deps.publicBaseUrl ?? 'http://127.0.0.1:3000' });
      if (!outcome.ok) {
        throw ApplicationFailure.create({
          type: 'UserChangeRefused',
          message: outcome.problems.map((p) => `change.${p.field}: ${p.message} (${p.rule})`).join('; '),
          details: outcome.problems,
          nonRetryable: true,
        });
      }
      return { username: outcome.username, applied: outcome.applied };
    },

    /** C-5: every contact of the company hears of a moved date, with the reason (once per line version). */
    async notifyLineDates(m: LineDatesMail): Promise<void> {
      for (const contact of await companyContacts(deps.sql, m.companyId)) {
        const nb = contact.locale === 'nb';
        const changes = [
          m.agreedDate ? (nb ? `Avtalt dato (Agreed Date): ${m.agreedDate.from ?? '–'} → ${m.agreedDate.to}` : `Agreed Date: ${m.agreedDate.from ?? '–'} → ${m.agreedDate.to}`) : null,
          m.installationDate
            ? nb
              ? `Installasjonsdato: ${m.installationDate.from ?? '–'} → ${m.installationDate.to}`
              : `Installation date: ${m.installationDate.from ?? '–'} → ${m.installationDate.to}`
            : null,
        ].filter(Boolean);
        await queuePlainMail(deps.sql, {
          idempotencyKey: `${m.caseId}@${m.version}:dates:${contact.email}`,
          caseId: m.caseId,
          recipient: contact.email,
          subject: nb ? `${m.number}: ny dato` : `${m.number}: new date`,
          text: `${nb ? 'Ordrelinje' : 'Order line'} ${m.number}\n\n${changes.join('\n')}\n\n${nb ? 'Årsak' : 'Reason'}: ${m.reason}\n`,
        });
      }
    },
  };
}

export type UserAdminActivities = ReturnType<typeof createUserAdminActivities>;
