// The one shape of a refusal (docs/rules.md cites the rule of each). A case's decision functions in
// domain/ return it; the workflow's Update validator throws it (workflows/refusals.ts) and the API's
// precheck answers it from the read model (api/kit/run-action.ts) — the same code, rule and message
// whichever of the two decides.

/** The action is not allowed in the case's current status, or for this actor. */
export interface NotAllowedDetails {
  status: string;
  action: string;
  allowedActions: string[];
  rule: string;
  message: string;
}
/** One input field that breaks a rule; `field` is relative to the action's input (the API prefixes `body.`). */
export interface FieldProblem {
  field: string;
  rule: string;
  message: string;
}

export type Refusal = ({ kind: 'not_allowed' } & NotAllowedDetails) | { kind: 'invalid'; problems: FieldProblem[] };

export function notAllowedRefusal(details: NotAllowedDetails): Refusal {
  return { kind: 'not_allowed', ...details };
}

export function invalidRefusal(problems: FieldProblem[]): Refusal | undefined {
  return problems.length > 0 ? { kind: 'invalid', problems } : undefined;
}

/** The standard refusal of an action the status table does not allow. */
export function statusRefusal(a: { number: string; status: string; action: string; allowedActions: readonly string[]; rule: string }): Refusal {
  return notAllowedRefusal({
    status: a.status,
    action: a.action,
    allowedActions: [...a.allowedActions],
    rule: a.rule,
    message: `'${a.action}' is not allowed on ${a.number} in status ${a.status}`,
  });
}
