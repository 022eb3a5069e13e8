// The read-model rows of switch-ISP and termination orders; pure, used by the workflows and the API alike.
import type { CaseProjection } from '../../domain/case';
import { LINE_STATUS_CODES } from '../../domain/order';
import { awaitsFollowUp, isFinal, WAITING_FOR_HANDLER } from '../../domain/portfolio-order';
import { technicianRequired } from '../../domain/switch-isp';
import { lastsUntil } from '../../domain/termination';
import { osloDate } from '../../domain/time';
import type { TerminationStartInput } from '../termination/messages';
import { terminationOpenKey } from '../termination/projection';
import type { PortfolioOrderFields, PortfolioOrderView, SwitchOrderStartInput, SwitchOrderView, TerminationOrderView } from './order-messages';
import { switchOpenKey } from './projection';

const ORDER_FIELDS = { model: 'order', status: 'Committed', customerOrderId: null, agreedDate: null, statusDescription: null, comment: null, installationDate: null } as const;

/** A just-submitted switch order (Committed); the API stores it at once, the workflow starts from it. */
export function newSwitchOrder(input: SwitchOrderStartInput): SwitchOrderView {
  const fields: PortfolioOrderFields & { kind: 'switch_isp' } = { ...ORDER_FIELDS, kind: 'switch_isp' };
  return {
    ...fields,
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
    switchId: null,
    portfolioEntryId: null,
    executedAt: null,
    resolution: null,
    cancelledViaServiceRequest: null,
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
    updatedBy: input.actor.username,
    version: 1,
    activity: [{ at: input.createdAt, by: input.actor.username, action: 'submit', fromStatus: null, toStatus: 'Committed', text: `Switch on ${input.requestedDate} sent to the order system` }],
  };
}

/** A just-submitted termination order (Committed). T-3: each product's run-out from the catalogue. */
export function newTerminationOrder(input: TerminationStartInput): TerminationOrderView {
  const fields: PortfolioOrderFields & { kind: 'termination' } = { ...ORDER_FIELDS, kind: 'termination' };
  const registeredOn = osloDate(new Date(input.createdAt));
  const products = input.products.map((p) => ({ ...p, runOutDays: p.noticeDays, lastsUntil: lastsUntil(registeredOn, input.requestedDate, p.noticeDays) }));
  return {
    ...fields,
    caseId: input.caseId,
    number: input.number,
    companyId: input.companyId,
    createdBy: input.actor.username,
    terminatedNumber: input.terminatedNumber,
    scope: input.scope,
    endUserName: input.endUserName,
    address: input.address,
    products,
    noticeDays: input.noticeDays,
    runOutDays: input.noticeDays,
    lastsUntil: products.reduce((max, p) => (p.lastsUntil > max ? p.lastsUntil : max), input.requestedDate),
    requestedDate: input.requestedDate,
    reason: input.reason,
    customerReference: input.customerReference,
    disconnectionIds: [],
    executedAt: null,
    resolution: null,
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
    updatedBy: input.actor.username,
    version: 1,
    activity: [{ at: input.createdAt, by: input.actor.username, action: 'submit', fromStatus: null, toStatus: 'Committed', text: `Termination on ${input.requestedDate} sent to the order system` }],
  };
}

/**
 * A-2: the handler's queue. Lines waiting for the wholesaler are in 'order-handling' as order lines are;
 * one the order system rejected (at submit, at the booking or on the date) is in 'order-follow-up' until
 * a handler has followed it up with the reseller (awaitsFollowUp).
 */
export function portfolioOrderQueue(v: PortfolioOrderView): string | null {
  if (awaitsFollowUp(v)) return 'order-follow-up';
  return WAITING_FOR_HANDLER.includes(v.status) ? 'order-handling' : null;
}

function common(v: PortfolioOrderView) {
  const refs: Record<string, string> = { kind: v.kind, model: 'order', requestedDate: v.requestedDate };
  if (v.customerOrderId) refs.customerOrderId = v.customerOrderId;
  if (v.agreedDate) refs.agreedDate = v.agreedDate;
  if (v.installationDate) refs.installationDate = v.installationDate;
  if (v.assignee) refs.assignee = v.assignee;
  const code = LINE_STATUS_CODES[v.status];
  const statusText = [v.statusDescription, v.comment, v.status === 'Field Service' && v.installationDate ? `Installation date ${v.installationDate}` : null].filter(Boolean).join(' — ') || null;
  return { refs, code, statusText };
}

export function switchOrderProjection(s: SwitchOrderView): CaseProjection {
  const { refs, code, statusText } = common(s);
  // one open switch per line while it is not carried out (a second registration is refused)
  const open = !isFinal(s.status) && s.status !== 'Finished';
  return {
    caseId: s.caseId,
    caseType: 'switch_isp',
    number: s.number,
    companyId: s.companyId,
    status: s.status,
    title: `Switch ${s.subscription.number} (${s.subscription.productName}, ${s.subscription.losingOperator}) → ${s.newProductName} on ${s.requestedDate}${code ? ` (${code})` : ''}`,
    refs: {
      ...refs,
      reference: s.subscription.number,
      lineId: s.subscription.lineId,
      losingOperator: s.subscription.losingOperator,
      productCode: s.newProductCode,
      authorisation: s.authorisation.reference,
      ...(s.cancelledViaServiceRequest ? { serviceRequest: s.cancelledViaServiceRequest } : {}),
    },
    openKey: open ? switchOpenKey(s.subscription.lineId) : null,
    queue: portfolioOrderQueue(s),
    statusText,
    version: s.version,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    updatedBy: s.updatedBy,
    detail: s,
  };
}

export function terminationOrderProjection(t: TerminationOrderView): CaseProjection {
  const { refs, code, statusText } = common(t);
  const open = !isFinal(t.status) && t.status !== 'Finished';
  return {
    caseId: t.caseId,
    caseType: 'termination',
    number: t.number,
    companyId: t.companyId,
    status: t.status,
    title: `Terminate ${t.products.map((p) => `${p.number} (${p.productName})`).join(', ')} on ${t.requestedDate}${code ? ` (${code})` : ''}`,
    refs: { ...refs, reference: t.terminatedNumber, scope: t.scope, numbers: t.products.map((p) => p.number).join(' '), endUser: t.endUserName },
    openKey: open ? terminationOpenKey(t.terminatedNumber) : null,
    queue: portfolioOrderQueue(t),
    statusText,
    version: t.version,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    updatedBy: t.updatedBy,
    detail: t,
  };
}
