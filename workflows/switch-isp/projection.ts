// The read-model row of a switch-ISP; pure, used by the workflow and the API alike.
import type { CaseProjection } from '../../domain/case';
import { TERMINAL_SWITCH_STATUSES, technicianRequired } from '../../domain/switch-isp';
import type { SwitchStartInput, SwitchView } from './messages';

/** The state of a just-registered switch; the API stores it at once, the workflow starts from it. */
export function newSwitch(input: SwitchStartInput): SwitchView {
  return {
    caseId: input.caseId,
    number: input.number,
    companyId: input.companyId,
    companyName: input.companyName,
    createdBy: input.actor.username,
    subscription: input.subscription,
    newProductCode: input.newProductCode,
    newProductName: input.newProductName,
    endUser: input.endUser,
    authorisation: input.authorisation,
    requestedDate: input.requestedDate,
    leadDays: input.leadDays,
    technicianRequired: technicianRequired(input.subscription.productCode, input.newProductCode),
    technician: input.technician,
    customerReference: input.customerReference,
    status: 'Registered',
    switchId: null,
    portfolioEntryId: null,
    executedAt: null,
    resolution: null,
    cancelledViaServiceRequest: null,
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
    updatedBy: input.actor.username,
    version: 1,
    activity: [{ at: input.createdAt, by: input.actor.username, action: 'register', fromStatus: null, toStatus: 'Registered' }],
  };
}

/** One open switch per line and company while it is not finished (a second registration is refused). */
export function switchOpenKey(lineId: string): string {
  return `switch|${lineId}`;
}

export function toProjection(s: SwitchView): CaseProjection {
  const open = !TERMINAL_SWITCH_STATUSES.includes(s.status);
  return {
    caseId: s.caseId,
    caseType: 'switch_isp',
    number: s.number,
    companyId: s.companyId,
    status: s.status,
    title: `Switch ${s.subscription.number} (${s.subscription.productName}, ${s.subscription.losingOperator}) → ${s.newProductName} on ${s.requestedDate}`,
    refs: {
      reference: s.subscription.number,
      lineId: s.subscription.lineId,
      losingOperator: s.subscription.losingOperator,
      requestedDate: s.requestedDate,
      productCode: s.newProductCode,
      authorisation: s.authorisation.reference,
      ...(s.cancelledViaServiceRequest ? { serviceRequest: s.cancelledViaServiceRequest } : {}),
      ...(s.assignee ? { assignee: s.assignee } : {}),
    },
    openKey: open ? switchOpenKey(s.subscription.lineId) : null,
    // A-2: open switches are in the handlers' inbox (order handling) until done
    queue: open ? 'order-handling' : null,
    statusText: s.resolution,
    version: s.version,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    updatedBy: s.updatedBy,
    detail: s,
  };
}
