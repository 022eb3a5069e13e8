// The read-model rows of an order and of its lines; pure, used by the workflows and the API alike.
import type { CaseProjection } from '../../domain/case';
import { LINE_STATUS_CODES, type LineStatus, TERMINAL_LINE_STATUSES } from '../../domain/order';
import { addressKey } from '../../domain/order-validation';
import { deadlineAfter } from '../../domain/time';
import type { DraftLine } from '../../domain/order-draft';
import type { LineInput, LineStartInput, LineView, OrderStartInput, OrderView } from './messages';
import type { NewPortfolioEntry } from '../../domain/portfolio';
import { isChangeOrderKind, modifyOpenKey } from '../../domain/modify-order';

/** Order header statuses after which a change order no longer blocks another one on its product. */
const FINAL_ORDER_STATUSES: readonly string[] = ['Cancelled', 'Closed', 'Rejected'];

/** The state of a just-created order; the API stores it at once, the workflow starts from it. */
export function newOrder(input: OrderStartInput): OrderView {
  return {
    ...input.draft,
    caseId: input.caseId,
    number: input.number,
    companyId: input.companyId,
    createdBy: input.actor.username,
    phase: 'draft',
    status: 'New',
    revision: 0,
    startedLines: [],
    submittedAt: null,
    autoCancelAt: deadlineAfter(new Date(input.createdAt), input.timing.autoCancelAfter).toISOString(), // O-20
    cancellation: null,
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
    updatedBy: input.actor.username,
    version: 1,
    activity: [{ at: input.createdAt, by: input.actor.username, action: 'create', fromStatus: null, toStatus: 'New' }],
  };
}

export function toOrderProjection(o: OrderView): CaseProjection {
  const refs: Record<string, string> = { orderType: o.orderType, kind: o.kind, lines: String(o.lines.length) };
  if (o.productCode) refs.productCode = o.productCode;
  if (o.references.customerOrderRef) refs.customerOrderRef = o.references.customerOrderRef;
  if (o.references.projectReference) refs.projectReference = o.references.projectReference;
  if (o.references.customerInvoiceRef) refs.customerInvoiceRef = o.references.customerInvoiceRef;
  const quote = o.lines.find((l) => l.quoteLine)?.quoteLine;
  if (quote) refs.quote = quote.quoteNumber;
  // M-1: a change order names its portfolio product (GET /v1/portfolio/{number} lists it) and is the
  // product's one open change order until it is done (modifyOpenKey)
  const modified = isChangeOrderKind(o.kind) ? (o.lines.find((l) => l.modification)?.modification ?? undefined) : undefined;
  if (modified) {
    refs.reference = modified.number;
    refs.change = modified.change;
  }
  const endUser = o.lines[0]?.endUser;
  return {
    caseId: o.caseId,
    caseType: 'order',
    number: o.number,
    companyId: o.companyId,
    status: o.status,
    title: `${modified ? (o.kind === 'product_swap' ? `Product swap on ${modified.number} from ${modified.current.productCode}` : `Change order (${modified.change}) on ${modified.number}`) : `${o.orderType} order`}: ${o.productCode ?? 'no product yet'}${endUser ? ` for ${endUser.name}` : ''}${o.lines.length > 1 ? ` (+${o.lines.length - 1} lines)` : ''}`,
    refs,
    openKey: modified && !FINAL_ORDER_STATUSES.includes(o.status) ? modifyOpenKey(modified.number) : null,
    queue: null,
    statusText: o.cancellation?.reason ?? null,
    version: o.version,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    updatedBy: o.updatedBy,
    detail: o,
  };
}

/** The state of a just-submitted line; the order projects it before its workflow runs (read-your-writes). */
export function newOrderLine(input: LineStartInput): LineView {
  const status: LineStatus = input.duplicateOf ? 'Duplicate' : 'Committed';
  return {
    ...input.spec,
    caseId: input.caseId,
    number: input.number,
    orderNumber: input.orderNumber,
    orderCaseId: input.orderCaseId,
    lineNo: input.lineNo,
    companyId: input.companyId,
    createdBy: input.actor.username,
    status,
    statusDescription: input.duplicateOf ? `Duplicate of ${input.duplicateOf} (O-19)` : input.manualHandling ? 'Availability check timed out: manual handling by customer service (O-11)' : null,
    comment: null,
    customerOrderId: null,
    agreedDate: null,
    installationDate: null,
    duplicateOf: input.duplicateOf,
    manualHandling: input.manualHandling,
    duplicateKey: input.duplicateKey,
    cancellation: null,
    revision: input.revision,
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
    updatedBy: input.actor.username,
    version: 1,
    activity: [{ at: input.createdAt, by: input.actor.username, action: 'submit', fromStatus: 'New', toStatus: status }],
  };
}

/** Lines that wait for the wholesaler are in the order-handling queue (A-2); a Duplicate waits for a handler's decision (O-19). */
const WAITING_FOR_HANDLER: readonly LineStatus[] = ['Committed', 'Registered', 'In Progress', 'Customer Update', 'Duplicate'];

export function toLineProjection(l: LineView): CaseProjection {
  const refs: Record<string, string> = {
    orderNumber: l.orderNumber,
    productCode: l.productCode,
    kind: l.kind,
    duplicateKey: l.duplicateKey,
    address: addressKey(l.line.address),
  };
  if (l.customerOrderId) refs.customerOrderId = l.customerOrderId;
  if (l.duplicateOf) refs.duplicateOf = l.duplicateOf;
  if (l.manualHandling) refs.manualHandling = 'true';
  if (l.references.customerOrderRef) refs.customerOrderRef = l.references.customerOrderRef;
  if (l.assignee) refs.assignee = l.assignee; // A-2: the handler's inbox filters on it
  if (l.line.modification) {
    refs.reference = l.line.modification.number; // M-1: listed with its portfolio product
    refs.change = l.line.modification.change;
  }
  // O-12: the line's phone number (reserved or assigned) finds it, and lists it with its portfolio product
  else if (l.line.numberReservation && l.line.numberReservation.status !== 'expired') refs.reference = l.line.numberReservation.number;
  const code = LINE_STATUS_CODES[l.status];
  return {
    caseId: l.caseId,
    caseType: 'order_line',
    number: l.number,
    companyId: l.companyId,
    status: l.status,
    title: `${l.productName}${l.line.endUser ? ` for ${l.line.endUser.name}` : ''}${code ? ` (${code})` : ''}`,
    refs,
    openKey: null,
    queue: TERMINAL_LINE_STATUSES.includes(l.status) || !WAITING_FOR_HANDLER.includes(l.status) ? null : 'order-handling',
    statusText: [l.statusDescription, l.comment].filter(Boolean).join(' — ') || null,
    version: l.version,
    createdAt: l.createdAt,
    updatedAt: l.updatedAt,
    updatedBy: l.updatedBy,
    detail: l,
  };
}

/**
 * M-1: the product a Finished (F) line delivered, as the company's portfolio entry. The line is
 * the one picked in the availability check (O-10); a line built new for this delivery is known
 * by the order line's own number until the order system gives it one.
 */
export function deliveredProduct(l: LineView, startDate: string): Omit<NewPortfolioEntry, 'accessType'> | undefined {
  if (!l.line.endUser) return undefined;
  const candidate = l.line.availability?.candidates.find((c) => c.lineId === l.line.availability?.selectedLineId);
  const existing = candidate && !candidate.lineId.startsWith('NEW-') ? candidate : undefined;
  const address = l.line.address;
  // O-12, M-1: a PSTN/ISDN line is known by the phone number the numbering system assigned it
  const assigned = l.line.numberReservation?.status === 'assigned' ? l.line.numberReservation.number : undefined;
  return {
    sourceCaseId: l.caseId,
    companyId: l.companyId,
    lineId: existing?.lineId ?? `LIN-${l.number}`,
    number: assigned ?? existing?.phoneNumber ?? existing?.circuitNumber ?? l.customerOrderId ?? l.number,
    numberKind: assigned || existing?.phoneNumber ? 'phone' : 'circuit',
    productCode: l.productCode,
    speedMbps: l.speedMbps,
    equipment: l.equipment,
    addressId: address?.addressId ?? candidate?.addressId ?? 'unregistered',
    addressLabel: address?.label ?? candidate?.addressLabel ?? [address?.street, address?.houseNumber, address?.postcode, address?.town].filter(Boolean).join(' '),
    endUser: l.line.endUser,
    startDate,
  };
}

/** A New line of a draft as the user filled it in (create, add line, order from quote). */
export function emptyLine(lineNo: number, input: LineInput, extra: Partial<DraftLine> = {}): DraftLine {
  return {
    lineNo,
    endUser: input.endUser ?? null,
    address: input.address ?? null,
    addressB: input.addressB ?? null,
    attachments: input.attachments ?? [],
    lookup: null,
    availability: null,
    booking: null,
    quoteLine: null,
    price: null,
    status: 'New',
    ...extra,
  };
}
