// A-1…A-5 user administration in PostgreSQL: one function applies a change (create, access type and
// training, close) with its audit row, used by the handler's routes and by the activity that carries
// out a Brukeradministrasjon SR's completion (idempotent by the SR's key). A closed user's sessions and
// reset links end in the same transaction, so the next request with their token answers 401.
import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from './client';
import type { Queryable } from './client';
import type { AccessType, Training } from '../domain/identity';
import type { FieldProblem } from '../domain/refusal';
import { nextTraining, type UserChange, userChangeProblems, type UserFacts } from '../domain/user-admin';
import { queuePlainMail } from '../notifications/plain-mail';

/** How long a password link stays usable (a handler's reset, or a new user's first password). */
export const RESET_TOKEN_HOURS = 24;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface ApplyUserChange {
  companyId: string;
  change: UserChange;
  /** The handler who applies it (A-4). */
  by: string;
  /** Where the links in e-mails point. */
  baseUrl: string;
  /** Set by the SR completion: the change is applied at most once under this key. */
  dedupeKey?: string;
  /** The service request that asked for it, if any. */
  requestCaseId?: string;
}

/** `detail`: what changed (from → to), for the audit row of the request that asked for it. */
export type UserChangeOutcome = { ok: true; username: string; applied: boolean; detail: Record<string, unknown> } | { ok: false; problems: FieldProblem[] };

type UserRow = {
  id: string;
  username: string;
  full_name: string;
  email: string;
  role: string;
  company_id: string | null;
  access_type: AccessType | null;
  training: Training[];
  disabled: boolean;
  locale: 'nb' | 'en';
};

/** Applies one change in one transaction; refuses (every field at once) without writing anything. */
export async function applyUserChange(sql: Sql, a: ApplyUserChange): Promise<UserChangeOutcome> {
  return sql.begin(async (tx) => {
    if (a.dedupeKey) {
      const [done] = await tx`SELECT 1 FROM audit_log WHERE dedupe_key = ${a.dedupeKey}`;
      if (done) return { ok: true as const, username: a.change.username, applied: false, detail: {} };
    }
    const [row] = await tx<UserRow[]>`
      SELECT id, username, full_name, email, role, company_id, access_type, training, disabled, locale FROM users WHERE username = ${a.change.username} FOR UPDATE`;
    const facts: UserFacts | undefined = row
      ? { username: row.username, role: row.role, companyId: row.company_id, accessType: row.access_type, training: row.training, disabled: row.disabled }
      : undefined;
    const problems = userChangeProblems(a.change, a.companyId, facts);
    if (problems.length > 0) return { ok: false as const, problems };
    const c = a.change;
    let detail: Record<string, unknown>;
    switch (c.kind) {
      case 'create': {
        // no password of its own: the person sets one from the e-mailed one-time link
        const unusable = `!unset$${randomBytes(16).toString('hex')}`;
        const [created] = await tx<{ id: string }[]>`
          INSERT INTO users (username, full_name, email, phone, password_hash, role, access_type, training, company_id, locale, created_by)
          VALUES (${c.username}, ${c.fullName}, ${c.email}, ${c.phone ?? null}, ${unusable}, ${c.role}, ${c.accessType}, ${c.training}, ${a.companyId}, ${c.locale}, ${a.by})
          RETURNING id`;
        await sendPasswordLink(tx, { userId: created!.id, username: c.username, email: c.email, locale: c.locale, issuedBy: a.by, baseUrl: a.baseUrl, welcome: true });
        detail = { role: c.role, accessType: c.accessType, training: c.training };
        break;
      }
      case 'update': {
        const training = nextTraining(row!.training, c);
        const accessType = c.accessType ?? row!.access_type;
        await tx`UPDATE users SET access_type = ${accessType}, training = ${training} WHERE id = ${row!.id}`;
        detail = { accessType: { from: row!.access_type, to: accessType }, training: { from: row!.training, to: training } };
        break;
      }
      case 'close': {
        await tx`UPDATE users SET disabled = true, closed_at = now(), closed_reason = ${c.reason}, closed_by = ${a.by} WHERE id = ${row!.id}`;
        // A-5: the closed user's sessions end now, and no link can open the account again
        await tx`UPDATE sessions SET ended_at = now() WHERE user_id = ${row!.id} AND ended_at IS NULL`;
        await tx`UPDATE password_reset_tokens SET used_at = now() WHERE user_id = ${row!.id} AND used_at IS NULL`;
        detail = { reason: c.reason, ...(c.comment ? { comment: c.comment } : {}) };
        break;
      }
    }
    // A-4: who changed whom, how. A handler's own request is audited by the API (with this detail); a
    // change carried by an SR's completion is audited here, once (its dedupe key)
    if (a.dedupeKey) {
      await tx`INSERT INTO audit_log (username, company_id, case_id, action, outcome, detail, dedupe_key)
               VALUES (${a.by}, ${a.companyId}, ${a.requestCaseId ?? null}, ${`user.${c.kind}`}, 'accepted',
                       ${tx.json({ target: c.username, ...detail } as never)}, ${a.dedupeKey})
               ON CONFLICT (dedupe_key) DO NOTHING`;
    }
    return { ok: true as const, username: c.username, applied: true, detail };
  });
}

export interface PasswordLink {
  userId: string;
  username: string;
  email: string;
  locale: 'nb' | 'en';
  issuedBy: string;
  baseUrl: string;
  /** A new user's first password rather than a reset. */
  welcome?: boolean;
}

/**
 * A one-time password link (valid RESET_TOKEN_HOURS) e-mailed to the user's own address: only the
 * token's SHA-256 is stored and nobody else sees the token (A-4: credentials are personal). An
 * earlier link stops working.
 */
export async function sendPasswordLink(tx: Queryable, l: PasswordLink): Promise<{ expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  await tx`UPDATE password_reset_tokens SET used_at = now() WHERE user_id = ${l.userId} AND used_at IS NULL`;
  const [row] = await tx<{ expires_at: Date }[]>`
    INSERT INTO password_reset_tokens (token_hash, user_id, issued_by, expires_at)
    VALUES (${hashToken(token)}, ${l.userId}, ${l.issuedBy}, now() + make_interval(hours => ${RESET_TOKEN_HOURS})) RETURNING expires_at`;
  const link = `${l.baseUrl.replace(/\/+$/, '')}/password-reset?token=${token}`;
  const nb = l.locale === 'nb';
  const subject = l.welcome ? (nb ? 'Din nye brukerkonto i Samband' : 'Your new Samband user account') : nb ? 'Nytt passord i Samband' : 'New password for Samband';
  const text = nb
    ? `Hei,\n\n${l.welcome ? `Brukeren ${l.username} er opprettet for deg.` : `Det er bestilt nytt passord for brukeren ${l.username}.`} Velg passord her (lenken virker én gang, i ${RESET_TOKEN_HOURS} timer):\n\n${link}\n\nBrukernavnet er personlig og skal ikke lånes ut.\n`
    : `Hello,\n\n${l.welcome ? `The user ${l.username} has been created for you.` : `A new password was requested for the user ${l.username}.`} Choose your password here (the link works once, for ${RESET_TOKEN_HOURS} hours):\n\n${link}\n\nYour username is personal and must not be shared.\n`;
  await queuePlainMail(tx, { idempotencyKey: `password-link:${hashToken(token)}`, caseId: `user:${l.username}`, recipient: l.email, subject, text });
  return { expiresAt: row!.expires_at };
}
