// User administration (A-1…A-5, S-4 "Brukeradministrasjon"): the changes a handler makes to a reseller
// company's users, and the training rule of A-3 (deck slide 8: "Enkelte tilgangstyper (bestillings- og
// full tilgang) krever at du har gjennomgått noe opplæring. Det samme gjelder for tilgang til
// feilmeldingsmodulen."). The one place for the rule; the API and the SR completion's activity both ask it.
import { z } from 'zod';
import { AccessType, Training } from './identity';
import type { FieldProblem } from './refusal';

/** Why a user is closed: misuse (e.g. a shared username, A-4) or the person left the company. */
export const CloseReason = z.enum(['misuse', 'leaving']);
export type CloseReason = z.infer<typeof CloseReason>;

export const ExternalRole = z.enum(['reseller', 'superuser']);
export type ExternalRole = z.infer<typeof ExternalRole>;

/** A-3: the training an access type needs (read needs none); a superuser has full access and needs its training. */
export function trainingNeeded(role: ExternalRole, accessType: AccessType): Training | null {
  if (role === 'superuser' || accessType === 'full') return 'full';
  if (accessType === 'ordering') return 'ordering';
  return null;
}

export const UsernamePattern = /^[a-z0-9][a-z0-9._-]{2,59}$/;

export const CreateUserChange = z.object({
  kind: z.literal('create').describe('Create a user'),
  username: z.string().regex(UsernamePattern, 'lower-case letters, digits, dot, dash or underscore (3–60), personal to one person (A-4)').describe('Personal to one person (A-4)'),
  fullName: z.string().trim().min(2).max(200).describe("The person's name"),
  email: z.email().max(200).describe('Their own address: the password link goes there'),
  phone: z
    .string()
    .regex(/^\+?\d{8,15}$/, 'digits, optionally with a leading +')
    .optional()
    .describe('Their phone'),
  role: ExternalRole.default('reseller').describe('reseller, or superuser (full access, trains the others)'),
  accessType: AccessType.describe('A-3: read, ordering or full'),
  training: z.array(Training).max(3).default([]).describe('A-3: trainings the person has had (ordering and full access need theirs)'),
  locale: z.enum(['nb', 'en']).default('nb').describe('The language of their e-mails'),
});
export const UpdateUserChange = z.object({
  kind: z.literal('update').describe('Change access type or training'),
  username: z.string().min(1).max(100).describe("The company's user"),
  accessType: AccessType.optional().describe('A-3: the new access type'),
  addTraining: z.array(Training).max(3).optional().describe('A-3: trainings the user has now had'),
  removeTraining: z.array(Training).max(3).optional().describe('A-3: trainings to take away'),
});
export const CloseUserChange = z.object({
  kind: z.literal('close').describe('Close the user (A-5)'),
  username: z.string().min(1).max(100).describe("The company's user"),
  reason: CloseReason.describe('misuse or leaving'),
  comment: z.string().trim().max(2000).optional().describe('More about why'),
});
/** One user-administration change: what a handler applies directly or with a Brukeradministrasjon SR's completion. */
export const UserChange = z.discriminatedUnion('kind', [CreateUserChange, UpdateUserChange, CloseUserChange]);
export type UserChange = z.infer<typeof UserChange>;

/** The parts of an existing user the decision reads. */
export interface UserFacts {
  username: string;
  role: string;
  companyId: string | null;
  accessType: AccessType | null;
  training: Training[];
  disabled: boolean;
}

/**
 * A-1, A-3: may this change be applied to this company's user (undefined for create)? Answers every
 * failing field at once (G-1); `field` is relative to the change.
 */
export function userChangeProblems(change: UserChange, companyId: string, existing: UserFacts | undefined): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (change.kind === 'create') {
    if (existing) problems.push({ field: 'username', rule: 'A-4', message: `${change.username} is taken: usernames are personal, choose another` });
    const needed = trainingNeeded(change.role, change.accessType);
    if (needed && !change.training.includes(needed)) {
      problems.push({ field: 'training', rule: 'A-3', message: `${change.role === 'superuser' ? 'a superuser' : `${change.accessType} access`} needs the '${needed}' training first (deck slide 8)` });
    }
    return problems;
  }
  // another company's user reads as a missing one (A-1)
  if (!existing || existing.companyId !== companyId || (existing.role !== 'reseller' && existing.role !== 'superuser')) {
    return [{ field: 'username', rule: 'A-1', message: `no user ${change.username} in this company` }];
  }
  if (existing.disabled) return [{ field: 'username', rule: 'A-5', message: `${change.username} is closed` }];
  if (change.kind === 'close') return problems;
  if (change.accessType === undefined && !change.addTraining?.length && !change.removeTraining?.length) {
    problems.push({ field: 'accessType', rule: 'A-3', message: 'give accessType, addTraining or removeTraining' });
    return problems;
  }
  const both = (change.addTraining ?? []).filter((t) => change.removeTraining?.includes(t));
  if (both.length > 0) problems.push({ field: 'removeTraining', rule: 'A-3', message: `${both.join(', ')} both added and removed` });
  const training = nextTraining(existing.training, change);
  const accessType = change.accessType ?? existing.accessType ?? 'read';
  const needed = trainingNeeded(existing.role as ExternalRole, accessType);
  if (needed && !training.includes(needed)) {
    problems.push({
      field: change.accessType !== undefined ? 'accessType' : 'removeTraining',
      rule: 'A-3',
      message: `${existing.role === 'superuser' ? 'a superuser' : `${accessType} access`} needs the '${needed}' training (deck slide 8)${change.accessType === undefined ? ': change the access type first' : ''}`,
    });
  }
  return problems;
}

/** The training flags after a change, in the order of the Training enum. */
export function nextTraining(current: readonly Training[], change: { addTraining?: Training[] | undefined; removeTraining?: Training[] | undefined }): Training[] {
  const set = new Set(current);
  for (const t of change.addTraining ?? []) set.add(t);
  for (const t of change.removeTraining ?? []) set.delete(t);
  return Training.options.filter((t) => set.has(t));
}
