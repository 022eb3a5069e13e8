// The read-model row of a trouble ticket (M-2); pure, used by the workflow and the API alike.
import type { CaseProjection } from '../../domain/case';
import { FAULT_DESK_QUEUE, HANDLER_QUEUE_TT_STATUSES, newRepairClock, OPEN_TT_STATUSES, ttOpenKey } from '../../domain/trouble-ticket';
import type { TtStartInput, TtView } from './messages';

/** The state of a just-created ticket; the API stores it at once, the workflow starts from it. */
export function newTroubleTicket(input: TtStartInput): TtView {
  return {
    caseId: input.caseId,
    number: input.number,
    companyId: input.companyId,
    createdBy: input.actor.username,
    product: input.product,
    symptom: input.symptom,
    category: input.category,
    severity: input.severity,
    endUserContact: input.endUserContact,
    customerReference: input.customerReference,
    attachments: input.attachments,
    lineTest: input.lineTest,
    status: 'New',
    missingInformation: null,
    resolution: null,
    cancellation: null,
    handler: null,
    appointment: null,
    repairTargetHours: input.repairTargetHours,
    clock: newRepairClock(input.timing.repairTargetMs, input.timing.warnAtFraction),
    submittedAt: null,
    resolvedAt: null,
    autoCloseAfter: input.timing.autoCloseAfter,
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
    updatedBy: input.actor.username,
    version: 1,
    activity: [{ at: input.createdAt, by: input.actor.username, action: 'create', fromStatus: null, toStatus: 'New', text: `Line test: ${input.lineTest.verdict} (${input.lineTest.detail})` }],
  };
}

export function toProjection(tt: TtView): CaseProjection {
  return {
    caseId: tt.caseId,
    caseType: 'trouble_ticket',
    number: tt.number,
    companyId: tt.companyId,
    status: tt.status,
    title: `${tt.product.productCode} ${tt.product.number}: ${tt.symptom.slice(0, 80)}`,
    refs: {
      productNumber: tt.product.number,
      productCode: tt.product.productCode,
      addressId: tt.product.address.id,
      severity: tt.severity,
      category: tt.category,
      reference: tt.product.number,
      ...(tt.customerReference ? { customerReference: tt.customerReference } : {}),
      ...(tt.handler ? { handler: tt.handler } : {}),
      ...(tt.clock.escalation ? { escalation: tt.clock.escalation } : {}),
    },
    // M-2.3: held while open, so a second ticket for the product is refused by the unique index too
    openKey: OPEN_TT_STATUSES.includes(tt.status) ? ttOpenKey(tt.product.number) : null,
    queue: HANDLER_QUEUE_TT_STATUSES.includes(tt.status) ? FAULT_DESK_QUEUE : null,
    statusText:
      tt.status === 'Incomplete'
        ? tt.missingInformation
        : tt.status === 'Resolved'
          ? `${tt.resolution?.cause ?? ''}: ${tt.resolution?.text ?? ''}`
          : tt.status === 'Cancelled'
            ? tt.cancellation
            : null,
    version: tt.version,
    createdAt: tt.createdAt,
    updatedAt: tt.updatedAt,
    updatedBy: tt.updatedBy,
    detail: tt,
  };
}
