// The read-model row of a service request; pure, used by the workflow and the API alike.
import type { CaseProjection } from '../../domain/case';
import { OPEN_SR_STATUSES, srOpenKey, TERMINAL_SR_STATUSES } from '../../domain/service-request';
import type { SrStartInput, SrView } from './messages';

/** The state of a just-created SR; the API stores it at once, the workflow starts from it. */
export function newServiceRequest(input: SrStartInput): SrView {
  return {
    caseId: input.caseId,
    number: input.number,
    companyId: input.companyId,
    createdBy: input.actor.username,
    area: input.area,
    subArea: input.subArea,
    department: input.department,
    reference: input.reference,
    description: input.description,
    attachments: input.attachments,
    status: 'New',
    missingInformation: null,
    answer: null,
    resolution: null,
    handler: null,
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
    updatedBy: input.actor.username,
    version: 1,
    activity: [{ at: input.createdAt, by: input.actor.username, action: 'create', fromStatus: null, toStatus: 'New' }],
  };
}

export function toProjection(sr: SrView): CaseProjection {
  return {
    caseId: sr.caseId,
    caseType: 'service_request',
    number: sr.number,
    companyId: sr.companyId,
    status: sr.status,
    title: `${sr.area} / ${sr.subArea}: ${sr.description.slice(0, 80)}`,
    refs: {
      area: sr.area,
      subArea: sr.subArea,
      referenceKind: sr.reference.kind,
      reference: sr.reference.value,
      ...(sr.reference.caseId ? { referenceCaseId: sr.reference.caseId } : {}),
      ...(sr.handler ? { assignee: sr.handler } : {}),
    },
    openKey: OPEN_SR_STATUSES.includes(sr.status) ? srOpenKey(sr.area, sr.reference.kind, sr.reference.value) : null,
    queue: TERMINAL_SR_STATUSES.includes(sr.status) ? null : sr.department,
    statusText: sr.status === 'Incomplete' ? sr.missingInformation : sr.status === 'Completed' ? (sr.answer?.text ?? null) : sr.status === 'Cancelled' ? sr.resolution : null,
    version: sr.version,
    createdAt: sr.createdAt,
    updatedAt: sr.updatedAt,
    updatedBy: sr.updatedBy,
    detail: sr,
  };
}
