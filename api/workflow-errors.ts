// Turns a workflow's refusal of an Update (validator) into the problem the caller sees.
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { REFUSAL, type FieldProblem as WorkflowFieldProblem, type NotAllowedDetails } from '../workflows/refusals';
import { HttpProblem, problems } from './problem';

export function problemFromUpdateError(err: unknown): HttpProblem | undefined {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const failure = err.cause;
    if (failure.type === REFUSAL.notAllowed) {
      const d = failure.details?.[0] as NotAllowedDetails;
      return actionNotAllowed(d);
    }
    if (failure.type === REFUSAL.invalid) {
      const list = (failure.details ?? []) as WorkflowFieldProblem[];
      return problems.validation(list.map((p) => ({ field: `body.${p.field}`, code: 'rule_violation' as const, rule: p.rule, message: p.message })));
    }
  }
  return undefined;
}

/** The case's workflow has ended (a terminal status): the action is refused like any other. */
export function isWorkflowGone(err: unknown): boolean {
  if (err instanceof WorkflowNotFoundError) return true;
  const text = err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? '')}` : '';
  return /already completed|not found/i.test(text);
}

export function actionNotAllowed(d: NotAllowedDetails): HttpProblem {
  return problems.conflict('action_not_allowed', d.message, {
    rule: d.rule, currentStatus: d.status, action: d.action, allowedActions: d.allowedActions,
  });
}
