// The state of a new quote and its read-model row; pure, used by the workflow and the API alike.
import type { CaseProjection } from '../../domain/case';
import { completedLineCount, QUOTE_QUEUE, quoteHeaderStatus, WHOLESALER_LINE_STATUSES } from '../../domain/quote';
import type { QuoteLine, QuoteLineInput, QuoteStartInput, QuoteView } from './messages';

export function newQuoteLine(lineNo: number, input: QuoteLineInput, at: string): QuoteLine {
  return {
    lineNo,
    status: 'New',
    productCode: input.productCode,
    speedMbps: input.speedMbps,
    addressA: input.addressA,
    addressB: input.addressB,
    attachmentFlag: input.attachmentFlag,
    attachments: input.attachments,
    comment: null,
    price: null,
    priceValidUntil: null,
    orderedAs: null,
    productName: input.product.name,
    product: input.product,
    priceSource: null,
    distanceMeters: null,
    distanceBand: null,
    manualPricing: null,
    priceExpiresAt: null,
    handler: null,
    updatedAt: at,
  };
}

/** the header follows the lines; called after every line change. */
export function refreshHeader(q: QuoteView): void {
  const statuses = q.lines.map((l) => l.status);
  q.status = quoteHeaderStatus(statuses, q.cancelled);
  q.completedLines = completedLineCount(statuses);
}

/** The state of a just-created quote; the API stores it at once, the workflow starts from it. */
export function newQuote(input: QuoteStartInput): QuoteView {
  const q: QuoteView = {
    number: input.number,
    caseId: input.caseId,
    companyId: input.companyId,
    createdBy: input.actor.username,
    customerReference: input.customerReference,
    description: input.description,
    status: 'New',
    completedLines: 0,
    cancelled: false,
    lines: input.lines.map((l, i) => newQuoteLine(i + 1, l, input.createdAt)),
    nextLineNo: input.lines.length + 1,
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
    updatedBy: input.actor.username,
    version: 1,
    activity: [{ at: input.createdAt, by: input.actor.username, action: 'create', fromStatus: null, toStatus: 'New' }],
  };
  refreshHeader(q);
  return q;
}

export function toProjection(q: QuoteView): CaseProjection {
  const products = [...new Set(q.lines.map((l) => l.productCode))];
  const addresses = q.lines.flatMap((l) => [l.addressA?.label, l.addressB?.label]).filter((a): a is string => Boolean(a));
  return {
    caseId: q.caseId,
    caseType: 'quote',
    number: q.number,
    companyId: q.companyId,
    status: q.status,
    title: [q.customerReference, q.description].filter(Boolean).join(': ').slice(0, 120) || `Quote ${q.number}`,
    refs: {
      ...(q.customerReference ? { reference: q.customerReference } : {}),
      products: products.join(' '),
      addresses: [...new Set(addresses)].join(' | '),
      completedLines: String(q.completedLines),
      lineCount: String(q.lines.length),
      ...(q.assignee ? { assignee: q.assignee } : {}),
    },
    openKey: null,
    // the quote sits in sales support's queue while a line waits for the wholesaler
    queue: q.lines.some((l) => WHOLESALER_LINE_STATUSES.includes(l.status)) ? QUOTE_QUEUE : null,
    // G-3 / Q-13: the text of the latest change (what is missing, the reason, the pricing route)
    statusText: q.activity.at(-1)?.text ?? null,
    version: q.version,
    createdAt: q.createdAt,
    updatedAt: q.updatedAt,
    updatedBy: q.updatedBy,
    detail: q,
  };
}
