// The read-model row of a termination; pure, used by the workflow and the API alike.
import type { CaseProjection } from '../../domain/case';
import { TERMINAL_TERMINATION_STATUSES } from '../../domain/termination';
import type { TerminationStartInput, TerminationView } from './messages';

export function newTermination(input: TerminationStartInput): TerminationView {
  return {
    caseId: input.caseId,
    number: input.number,
    companyId: input.companyId,
    createdBy: input.actor.username,
    terminatedNumber: input.terminatedNumber,
    scope: input.scope,
    endUserName: input.endUserName,
    address: input.address,
    products: input.products,
    noticeDays: input.noticeDays,
    requestedDate: input.requestedDate,
    reason: input.reason,
    customerReference: input.customerReference,
    status: 'Registered',
    disconnectionIds: [],
    executedAt: null,
    resolution: null,
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
    updatedBy: input.actor.username,
    version: 1,
    activity: [{ at: input.createdAt, by: input.actor.username, action: 'register', fromStatus: null, toStatus: 'Registered', text: `Termination on ${input.requestedDate}` }],
  };
}

/** One open termination per product and company: a second one is refused while the first is pending. */
export function terminationOpenKey(number: string): string {
  return `termination|${number}`;
}

export function toProjection(t: TerminationView): CaseProjection {
  const open = !TERMINAL_TERMINATION_STATUSES.includes(t.status);
  return {
    caseId: t.caseId,
    caseType: 'termination',
    number: t.number,
    companyId: t.companyId,
    status: t.status,
    title: `Terminate ${t.products.map((p) => `${p.number} (${p.productName})`).join(', ')} on ${t.requestedDate}`,
    refs: {
      reference: t.terminatedNumber,
      scope: t.scope,
      requestedDate: t.requestedDate,
      numbers: t.products.map((p) => p.number).join(' '),
      endUser: t.endUserName,
      ...(t.assignee ? { assignee: t.assignee } : {}),
    },
    openKey: open ? terminationOpenKey(t.terminatedNumber) : null,
    // A-2: open terminations are in the handlers' inbox (order handling) until done
    queue: open ? 'order-handling' : null,
    statusText: t.resolution,
    version: t.version,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    updatedBy: t.updatedBy,
    detail: t,
  };
}
