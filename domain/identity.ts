// Actors and access (rules A-1…A-6).
import { z } from 'zod';

export const Role = z.enum(['reseller', 'superuser', 'handler', 'ops']);
export type Role = z.infer<typeof Role>;

/** read (look only), ordering (create and submit), full (also user administration). */
export const AccessType = z.enum(['read', 'ordering', 'full']);
export type AccessType = z.infer<typeof AccessType>;

/** A-3 (deck slide 8, "krever opplæring"): ordering, full access and the fault module need training first. */
export const Training = z.enum(['ordering', 'full', 'fault']);
export type Training = z.infer<typeof Training>;

/** Who performs an action; workflows record it with every accepted message. */
export const Actor = z.object({
  username: z.string(),
  role: Role,
  companyId: z.string().nullable(),
  accessType: AccessType.nullable(),
});
export type Actor = z.infer<typeof Actor>;

export const SYSTEM_ACTOR: Actor = { username: 'system', role: 'ops', companyId: null, accessType: null };

export function isExternal(actor: Actor): boolean {
  return actor.role === 'reseller' || actor.role === 'superuser';
}

/** ordering and full access (and superusers, who have full access) may create and act. */
export function canOrder(actor: Actor): boolean {
  return isExternal(actor) && (actor.role === 'superuser' || actor.accessType === 'ordering' || actor.accessType === 'full');
}

/** A-3 / S-4: the company's authorised orderer (full access) administers users. */
export function hasFullAccess(actor: Actor): boolean {
  return isExternal(actor) && (actor.role === 'superuser' || actor.accessType === 'full');
}

export function isHandler(actor: Actor): boolean {
  return actor.role === 'handler';
}
