// Per-user limits on look-ups that reveal facts about other operators' lines (I-3, O-10): a token
// bucket in PostgreSQL (db/rate-limit.ts), shared by every API process; empty → 429 with Retry-After.
import type { Queryable } from '../../db/client';
import { takeToken, type TokenBucket } from '../../db/rate-limit';
import type { AuthUser } from '../context';
import { HttpProblem } from '../problem';

export async function throttlePerUser(
  sql: Queryable,
  user: AuthUser,
  what: { bucket: string; limit: TokenBucket; label: string; rule: string },
  setHeader: (name: string, value: string) => void,
): Promise<void> {
  const taken = await takeToken(sql, `${what.bucket}|${user.id}`, what.limit);
  if (taken.granted) return;
  setHeader('Retry-After', String(taken.retryAfterSeconds));
  throw new HttpProblem(429, 'too_many_lookups', 'Too many look-ups', {
    detail: `At most ${what.limit.capacity} ${what.label} a minute per user (${what.rule}); try again in ${taken.retryAfterSeconds} s`,
    retryAfterSeconds: taken.retryAfterSeconds,
  });
}
