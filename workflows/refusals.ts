// How workflows refuse a caller's action: the domain's Refusal (domain/refusal.ts) as an
// ApplicationFailure. Thrown from Update validators, so nothing reaches history; the API turns
// them into problem+json (409 or 400) exactly as it answers its own precheck of the same refusal.
import { ApplicationFailure } from '@temporalio/common';
import type { FieldProblem, NotAllowedDetails, Refusal } from '../domain/refusal';

export type { FieldProblem, NotAllowedDetails } from '../domain/refusal';

export const REFUSAL = {
  /** The action is not allowed in the current status (or for this actor). */
  notAllowed: 'ActionNotAllowed',
  /** The action's input breaks a rule; details list each field. */
  invalid: 'InvalidInput',
} as const;

export function notAllowed(details: NotAllowedDetails): ApplicationFailure {
  return ApplicationFailure.create({ type: REFUSAL.notAllowed, message: details.message, details: [details], nonRetryable: true });
}

export function invalidInput(problems: FieldProblem[]): ApplicationFailure {
  return ApplicationFailure.create({
    type: REFUSAL.invalid,
    message: problems.map((p) => `${p.field}: ${p.message}`).join('; '),
    details: problems,
    nonRetryable: true,
  });
}

/** The failure a refusal is thrown as. */
export function refusalFailure(r: Refusal): ApplicationFailure {
  if (r.kind === 'invalid') return invalidInput(r.problems);
  const { kind: _kind, ...details } = r;
  return notAllowed(details);
}

/** For validators: throws when the domain's decision function refused. */
export function refuseIf(r: Refusal | undefined): void {
  if (r) throw refusalFailure(r);
}
