// Shared pieces of the order routes (customer and handler): schemas, presentation, validation
// facts from the wholesaler's systems, line actions, and the mapping of workflow refusals.
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { CaseRow } from '../../db/cases';
import type { Queryable } from '../../db/client';
import { currentAccessOfEndUser, currentEntriesByNumber, entryById } from '../../db/portfolio';
import { type Actor } from '../../domain/identity';
import {
  allowedLineActions,
  allowedNextSteps,
  allowedOrderActions,
  awaitsManualHandling,
  bookingExpected,
  CANCEL_VIA_SERVICE_REQUEST,
  isAccessProduct,
  type LineAction,
  lineStatusCode,
  type LineStatus,
  orderSummaryStatus,
} from '../../domain/order';
import { decideLineAction } from '../../domain/order-decisions';
import type { DraftLine, EndUser, InstallationAddress, LineFacts, OrderDraft, ProductFacts, ValidationContext } from '../../domain/order-validation';
import { addCalendarDays, osloDate } from '../../domain/time';
import { numberAsSeen } from '../../domain/numbers';
import { type LineActionInput, lineUpdates, type LineView, type OrderStartInput, type OrderView } from '../../workflows/order/messages';
import type { AppDeps, AppEnv } from '../context';
import { runAction } from '../kit/run-action';
import { problems } from '../problem';
import { IsoDate } from '../dates';

// ---- input schemas ------------------------------------------------------------------------------

const trimmed = (max: number) => z.string().trim().min(1).max(max);

export const EndUserInput = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('person'), name: trimmed(200), birthDate: z.string().max(10) }),
    z.strictObject({ kind: z.literal('company'), name: trimmed(200), orgNumber: z.string().max(20) }),
  ])
  .openapi('OrderEndUser', { description: 'O-2: a person with date of birth, or a company with organisation number' });

export const AddressInput = z
  .strictObject({
    addressId: z.string().max(40).optional().openapi({ description: 'An address from GET /v1/reference/addresses (Q-3)' }),
    street: z.string().max(100).optional(),
    houseNumber: z.number().int().min(0).max(99999).optional(),
    houseLetter: z.string().max(2).optional(),
    postcode: z.string().max(10).optional(),
    town: z.string().max(100).optional(),
    floor: z.string().max(40).optional(),
    entrance: z.string().max(40).optional(),
    flat: z.string().max(10).optional().openapi({ description: 'O-3: a flat number (leilighetsnr.) like H0201' }),
    room: z.string().max(20).optional().openapi({ description: 'O-3: a room number (romnr) where the place has rooms rather than flats; "leilighetsnr./romnr der dette finnes"' }),
    cadastral: z.strictObject({ municipalityNo: z.string().max(10), gnr: z.number().int(), bnr: z.number().int() }).optional(),
    insa: z.string().max(40).optional(),
    existingNumber: z.string().max(40).optional().openapi({ description: 'O-3: an existing phone or circuit number nearby' }),
  })
  .openapi('InstallationAddress', { description: 'O-3: a register address, free parts, a cadastral reference or an INSA signature' });

export const LineBody = z
  .strictObject({
    endUser: EndUserInput.nullable().optional(),
    address: AddressInput.nullable().optional(),
    addressB: AddressInput.nullable().optional(),
    attachmentIds: z.array(z.uuid()).max(10).optional(),
  })
  .openapi('OrderLineInput');

export const ContactInput = z
  .strictObject({
    name: z.string().max(200).optional(),
    phone: z.string().max(40).optional(),
    phone2: z.string().max(40).optional(),
  })
  .openapi('OrderContact', { description: 'O-7: full name; phones digits only, one number per field' });

export const ReferencesInput = z
  .strictObject({
    projectReference: z.string().max(100).optional(),
    customerInvoiceRef: z.string().max(100).optional(),
    customerOrderRef: z.string().max(100).optional(),
  })
  .openapi('OrderReferences', { description: 'O-8: three references that must not be mixed' });

export const HeaderBody = z.strictObject({
  orderType: z.enum(['Standard', 'Project']).optional(),
  productCode: z.string().max(40).optional(),
  speedMbps: z.number().int().positive().nullable().optional(),
  equipment: z.string().max(1000).nullable().optional(),
  requestedDate: IsoDate.optional(),
  contact: ContactInput.optional(),
  references: ReferencesInput.optional(),
});

// ---- output schemas (loose: the OpenAPI document names the main fields) --------------------------

export const OrderLineSchema = z
  .looseObject({
    number: z.string().openapi({ example: 'ORD-000042:1' }),
    status: z.string(),
    statusCode: z.string().nullable().openapi({ description: 'O-15 letter (O, D, R, M, T, L, F; A only when the wholesaler cancelled)' }),
    statusDescription: z.string().nullable(),
    comment: z.string().nullable(),
    customerOrderId: z.string().nullable(),
    agreedDate: z.string().nullable(),
    allowedActions: z.array(z.string()),
    allowedNextSteps: z.array(z.string()).openapi({
      description: 'O-15: the delivery steps the calling user may move the line to now with advance (a handler: the one next step; anybody else: none)',
      example: ['Design'],
    }),
  })
  .openapi('OrderLine');

export const OrderSchema = z
  .looseObject({
    number: z.string().openapi({ example: 'ORD-000042' }),
    caseId: z.string(),
    status: z.string().openapi({ description: 'O-14 / O-16: the header status' }),
    phase: z.enum(['draft', 'submitted', 'cancelled']),
    orderType: z.enum(['Standard', 'Project']),
    lines: z.array(
      z.looseObject({
        lineNo: z.number().int(),
        status: z.string(),
        numberReservation: z
          .object({ reservationId: z.string(), number: z.string(), status: z.enum(['reserved', 'held', 'assigned', 'expired']), expiresAt: z.string().nullable() })
          .nullable()
          .optional()
          .openapi({
            description: 'O-12: PSTN/ISDN: the phone number reserved with the booking (lapses at expiresAt, the O-20 auto-cancel, unless submitted), held once submitted, assigned at Finished (F)',
          }),
        delivery: OrderLineSchema.nullable(),
      }),
    ),
    allowedActions: z.array(z.string()),
  })
  .openapi('Order');

export const OrderProblemSchema = z.object({ field: z.string(), rule: z.string(), message: z.string() }).openapi('OrderProblem');

/** An order's number; the tenancy-scoped loader runs on every path that carries one. */
export const ORDER_NUMBER = /^ORD-\d{6,}$/;
export const NumberParam = z.object({
  number: z
    .string()
    .regex(ORDER_NUMBER, 'an order number like ORD-000042')
    .openapi({ param: { name: 'number', in: 'path' }, example: 'ORD-000042' }),
});
export const LineParams = NumberParam.extend({
  lineNo: z.coerce
    .number()
    .int()
    .min(1)
    .max(999)
    .openapi({ param: { name: 'lineNo', in: 'path' }, example: 1 }),
});

export const LineNumberParam = z.object({
  number: z
    .string()
    .regex(/^ORD-\d{6,}:\d{1,3}$/, 'an order line number like ORD-000042:1')
    .openapi({ param: { name: 'number', in: 'path' }, example: 'ORD-000042:1' }),
});

// ---- presentation -------------------------------------------------------------------------------

export function presentLine(view: LineView, actor: Actor) {
  const allowed = allowedLineActions(view.status, actor, view.kind, view.line.booking !== null, awaitsManualHandling(view));
  return {
    ...view,
    statusCode: lineStatusCode(view.status, view.cancellation?.byWholesaler === true),
    allowedActions: allowed as string[],
    allowedNextSteps: allowedNextSteps(view.status, allowed) as string[],
  };
}

/** The lines of an order the caller was already allowed to see (call it only after the order's tenancy check). */
export async function lineRowsOf(sql: Queryable, orderNumber: string): Promise<LineView[]> {
  const rows = await sql<{ detail: LineView }[]>`
    SELECT detail FROM cases WHERE case_type = 'order_line' AND refs ->> 'orderNumber' = ${orderNumber}`;
  return rows.map((r) => r.detail).sort((a, b) => a.lineNo - b.lineNo);
}

/** The order as the user sees it: the draft, each line's delivery state, and O-16's summary from the lines. */
export function presentOrder(order: OrderView, lines: LineView[], actor: Actor) {
  const byNo = new Map(lines.map((l) => [l.lineNo, l]));
  const merged = order.lines.map((dl) => {
    const lv = byNo.get(dl.lineNo);
    // a line's own workflow is the authority once submitted; while New (or reopened) the draft is
    const status: LineStatus = lv && order.phase === 'submitted' ? lv.status : dl.status;
    // O-12: the line's phone number (reserved, held, assigned or lapsed), from the line once submitted
    const numberReservation = numberAsSeen(lv && order.phase === 'submitted' ? lv.line.numberReservation : dl.numberReservation, new Date());
    return { ...dl, status, booking: lv && order.phase === 'submitted' ? lv.line.booking : dl.booking, numberReservation, delivery: lv ? presentLine(lv, actor) : null };
  });
  const statuses = merged.map((l) => l.status);
  const status = order.phase === 'submitted' ? orderSummaryStatus(statuses) : order.status;
  return { ...order, status, lines: merged, allowedActions: allowedOrderActions(order.phase, statuses, actor) as string[] };
}

// ---- facts for validation (X-1, X-6, existing lines) --------------------------------------------

export async function productFacts(deps: AppDeps, code: string | null): Promise<ProductFacts | undefined> {
  if (!code) return undefined;
  return deps.adapters.prices.product(code);
}

/**
 * a number another reseller delivers names none of its end user's data (not even the address):
 * look-ups and availability checks by that number learn only that it exists and that taking the end
 * user over is a switch-ISP order (I-1…I-7). Lines of operators outside this system stay checkable (I-3).
 */
export async function refuseAnotherProvidersLine(sql: Queryable, number: string, companyId: string | null): Promise<void> {
  if (companyId === null) return; // handlers
  const held = (await currentEntriesByNumber(sql, number)).find((e) => e.company_id !== null && e.company_id !== companyId);
  if (!held) return;
  const query = /^\d{8}$/.test(number) ? `phoneNumber=${number}` : `circuitNumber=${encodeURIComponent(number)}`;
  throw problems.unprocessable('line_of_another_provider', `${number} is delivered by another service provider: to move its end user to you, register a switch-ISP order (I-1…I-7), not a new order`, {
    rule: 'I-1',
    orderType: 'switch_isp',
    switchIsp: { lookup: `/v1/switch-isp/lookup?${query}`, register: '/v1/switch-isp' },
  });
}

/**
 * O-13 facts from the portfolio: another provider's access line of the end user (another reseller's or
 * another operator's: only that it exists), or the company's own at the same address. The company's own
 * line elsewhere is its own business (a second line is allowed).
 */
export async function existingAccessOf(sql: Queryable, endUser: EndUser, addressId: string | undefined, companyId: string): Promise<LineFacts['existingAccess']> {
  const lines = await currentAccessOfEndUser(sql, endUser);
  const others = lines.filter((l) => l.company_id !== companyId);
  if (others.length > 0) return { holder: 'other', sameAddress: others.some((l) => l.address_id === addressId) };
  const own = lines.find((l) => l.address_id === addressId);
  return own ? { holder: 'own', number: own.number, productCode: own.product_code } : undefined;
}

export async function validationContext(deps: AppDeps, draft: OrderDraft, companyId: string): Promise<ValidationContext> {
  const product = await productFacts(deps, draft.productCode);
  const lineFacts: Record<number, LineFacts> = {};
  for (const l of draft.lines) {
    const facts: LineFacts = {};
    const a = l.address;
    if (a?.addressId) {
      const reg = await deps.adapters.addresses.get(a.addressId);
      facts.registerAddress = { known: reg !== undefined, postBox: reg?.postBox === true };
    } else if (a?.street && a.houseNumber !== undefined && a.postcode) {
      // O-3: "flat where it exists": the register knows the building's flats
      const hits = await deps.adapters.addresses.search({ street: a.street, houseNumber: a.houseNumber, postcode: a.postcode, limit: 50 });
      const building = hits.filter(
        (h) =>
          h.street?.toLowerCase() === a.street?.trim().toLowerCase() && h.houseNumber === a.houseNumber && (h.houseLetter ?? '') === (a.houseLetter ?? '').toUpperCase() && h.postcode === a.postcode,
      );
      facts.flatsInBuilding = building.map((h) => h.flat).filter((f): f is string => f !== undefined);
    }
    if (product && isAccessProduct(product.family) && l.endUser) {
      const e = await existingAccessOf(deps.sql, l.endUser, a?.addressId, companyId);
      if (e) facts.existingAccess = e;
    }
    if (l.modification) {
      // M-1: a change order's product must still be the company's current entry
      const entry = await entryById(deps.sql, l.modification.portfolioEntryId);
      facts.modifiedEntryActive = entry !== undefined && entry.end_date === null && entry.company_id === companyId;
    }
    if (product && !l.booking && a?.addressId && bookingExpected(draft, product.family, l.availability)) {
      // O-12: could a slot be booked now? The appointment system down or full: no (the order may go without)
      const from = addCalendarDays(osloDate(new Date()), product.leadTimeDays);
      const slots = await deps.adapters.appointments.slots({ addressId: a.addressId, from, to: addCalendarDays(from, 28) }).catch(() => []);
      facts.freeSlots = slots.length;
    }
    lineFacts[l.lineNo] = facts;
  }
  return { today: osloDate(new Date()), product, lineFacts };
}

// ---- line actions (customer and handler) --------------------------------------------------------

/** C-6: the refusal that points the user to a service request. */
export function cancelViaServiceRequest(number: string, kind: string, status: string) {
  return problems.conflict(
    'cancel_via_service_request',
    `${number} is a ${kind === 'switch_isp' ? 'switch-ISP order' : 'product swap'}: it is cancelled through a service request, not with Cancel (C-6)`,
    {
      rule: 'C-6',
      currentStatus: status,
      action: 'cancel',
      allowedActions: [],
      serviceRequest: { href: '/v1/service-requests', area: 'Delivery', reference: { kind: 'order', value: number.split(':')[0] } },
    },
  );
}

/**
 * Runs one action on an order line the caller may see (the row comes from loadCase): the line's own
 * decision on the read model (409/400 without touching the workflow), then its Update, whose
 * validator decides again under the line's lock. Answers the line after the action.
 */
export async function runLineAction(deps: AppDeps, c: Context<AppEnv>, row: CaseRow, action: LineAction, input: Omit<LineActionInput, 'actor'>) {
  const actor = c.get('actor');
  const view = row.detail as LineView;
  if (action === 'cancel' && CANCEL_VIA_SERVICE_REQUEST.includes(view.kind)) throw cancelViaServiceRequest(row.number, view.kind, row.status);
  const cmd: LineActionInput = { actor, ...input };
  const after = await runAction(deps, c, {
    row,
    action,
    update: lineUpdates[action],
    input: cmd,
    check: (v: LineView) => decideLineAction(v, action, cmd),
  });
  return presentLine(after.detail as LineView, actor);
}

// ---- order helpers shared by the order routes -----------------------------------------------------

/** Register addresses carry their label, so the user sees what the id means. */
export async function withLabel(deps: AppDeps, a: InstallationAddress | null | undefined): Promise<InstallationAddress | null | undefined> {
  if (!a?.addressId) return a;
  const reg = await deps.adapters.addresses.get(a.addressId);
  return reg ? { ...a, label: reg.label } : a;
}

export { emptyLine } from '../../workflows/order/projection';

/** The order workflow's timings: O-20's wait, and the history length at which it continues as new. */
export function orderTiming(deps: AppDeps): OrderStartInput['timing'] {
  return { autoCancelAfter: deps.config.timings.orderAutoCancel, ...(deps.config.orderHistoryLimit ? { historyLimit: deps.config.orderHistoryLimit } : {}) };
}

/** The order as the caller sees it, from its row (already tenancy-checked) and its lines' rows. */
export async function presentOrderRow(deps: AppDeps, c: Context<AppEnv>, row: CaseRow) {
  const order = row.detail as OrderView;
  return presentOrder(order, await lineRowsOf(deps.sql, order.number), c.get('actor'));
}

/** One of the order's draft lines, or 404. */
export function draftLine(order: OrderView, lineNo: number): DraftLine {
  const line = order.lines.find((l) => l.lineNo === lineNo);
  if (!line) throw problems.notFound(`Line ${lineNo} of ${order.number}`);
  return line;
}
