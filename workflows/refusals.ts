// How workflows refuse a caller's action. Thrown from Update validators, so nothing reaches
// history; the API turns them into problem+json (409 or 422).
import { ApplicationFailure } from '@temporalio/common';

export const REFUSAL = {
  /** The action is not allowed in the current status (or for this actor). */
  notAllowed: 'ActionNotAllowed',
  /** The action's input breaks a rule; details list each field. */
  invalid: 'InvalidInput',
} as const;

export interface NotAllowedDetails { status: string; action: string; allowedActions: string[]; rule: string; message: string }
export interface FieldProblem { field: string; rule: string; message: string }

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
