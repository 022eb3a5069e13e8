// Change orders (Modify) from a portfolio product (rules M-1, O-13; O-3, O-5…O-8 and O-19 as they
// apply to a change): change the speed or the equipment of a product the company holds, or move it
// to a new address. O-13: a move is never a new order but a change order on the existing circuit.
// The change order is an ordinary order of kind 'modify' (New) with one line prefilled from the
// portfolio entry; the user submits it with POST /v1/orders/{n}/submit (a move first runs the
// availability check at the new address, O-10) and its line runs through the order-line workflow.
// Change 'product' converts the product (access type shared ↔ full, or a swap between Jara ADSL,
// operator access and Jara HDSL, slide 64): an order of kind 'product_swap', cancelled only
// through a service request (C-6). "Switch first, then Modify": a product the company is still
// taking over by switch-ISP is refused with the switch and its date (I-2).
import { createRoute, z } from '@hono/zod-openapi';
import { normaliseNumber } from '../../adapters/lines';
import type { Queryable } from '../../db/client';
import { companyEntriesByNumber } from '../../db/portfolio';
import { type LineModification, MODIFY_CHANGES, type ModifyChange, modifyOpenKey, modifyRequestProblems, orderKindOfChange } from '../../domain/modify-order';
import { type DraftLine, type InstallationAddress, type OrderDraft, type OrderProblem, validateOrderDraft } from '../../domain/order-validation';
import { IsoDate } from '../dates';
import { assertCanOrder, requireAuth } from '../auth';
import type { AppDeps } from '../context';
import { createOnce, IdempotencyKeyHeader, noteCreation } from '../idempotency';
import { isOpenKeyConflict } from '../../db/cases';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { type FieldProblem, problems } from '../problem';
import { createRouter } from '../router';
import { AddressInput, ContactInput, OrderSchema, presentOrder, ReferencesInput, validationContext } from './order-support';
import { createOrder } from './orders';

const ModifyBody = z
  .strictObject({
    change: z.enum(MODIFY_CHANGES).openapi({
      description:
        "speed: a new speed; equipment: new equipment; move: the product to a new address (O-13); product: a product conversion or swap (access type, or between Jara ADSL, operator access and Jara HDSL; slide 64, C-6), an order of kind 'product_swap'",
    }),
    speedMbps: z
      .number()
      .int()
      .positive()
      .optional()
      .openapi({ description: "change 'speed': one the product offers, not the current one (O-6); change 'product': the new product's speed, where it has one" }),
    productCode: z
      .string()
      .max(40)
      .optional()
      .openapi({ description: "change 'product': the product to convert to (GET /v1/reference/products), another Jara ADSL, operator access or Jara HDSL product (C-6)" }),
    equipment: z.string().max(1000).optional().openapi({ description: "change 'equipment': the new equipment and add-on services (O-6)" }),
    newAddress: AddressInput.optional().openapi({ description: "change 'move': the new installation address, from the address register ({ addressId })" }),
    requestedDate: IsoDate.optional().openapi({ description: "O-5: within the product's lead time" }),
    contact: ContactInput.optional(),
    references: ReferencesInput.optional(),
  })
  .openapi('ModifyPortfolioProduct');

const NumberParam = z.object({
  number: z
    .string()
    .min(1)
    .max(20)
    .openapi({ param: { name: 'number', in: 'path' }, description: "The product's phone or circuit number", example: '22604411' }),
});

/** A draft field of the change order → the request field the user gave it in. */
function requestField(field: string, change: ModifyChange): string {
  if (field.startsWith('lines.0.address')) return change === 'move' ? `body.newAddress${field.slice('lines.0.address'.length)}` : 'path.number';
  if (/^(speedMbps|equipment|requestedDate|newAddress|contact|references)(\.|$)/.test(field)) return `body.${field}`;
  if (field === 'productCode' && change === 'product') return 'body.productCode';
  // the product, its end user and its entry come from the portfolio
  return 'path.number';
}

function toFieldProblems(found: OrderProblem[], change: ModifyChange): FieldProblem[] {
  return found.map((p) => ({
    field: requestField(p.field, change),
    code: p.message.startsWith('required') ? ('missing_property' as const) : ('rule_violation' as const),
    rule: p.rule,
    message: p.message,
  }));
}

/** M-1: one open change order per product; the open one, if any. */
async function openChangeOrder(db: Queryable, companyId: string, number: string) {
  const [open] = await db<{ number: string; status: string }[]>`
    SELECT number, status FROM cases WHERE case_type = 'order' AND company_id = ${companyId} AND open_key = ${modifyOpenKey(number)} LIMIT 1`;
  return open;
}

/** I-2, slide 64: the company's switch-ISP of this number that has not completed yet, if any. */
async function pendingSwitch(db: Queryable, companyId: string, number: string) {
  const [open] = await db<{ number: string; status: string; requested_date: string | null }[]>`
    SELECT number, status, refs ->> 'requestedDate' AS requested_date FROM cases
    WHERE case_type = 'switch_isp' AND company_id = ${companyId} AND refs ->> 'reference' = ${number} AND open_key IS NOT NULL
    ORDER BY created_at DESC LIMIT 1`;
  return open;
}

const changeOrderOpen = (number: string, open: { number: string; status: string }) =>
  problems.conflict('change_order_open', `${open.number} (${open.status}) already changes ${number}: submit, finish or cancel it before starting another change (O-19)`, {
    rule: 'O-19',
    currentStatus: open.status,
    allowedActions: [],
    existing: open.number,
  });

export function portfolioModifyRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('*', requireAuth(deps));

  router.openapi(
    createRoute({
      security: [{ bearer: [] }],
      tags: ['Portfolio'],
      method: 'post',
      path: '/{number}/modify',
      summary: 'Start a change order (Modify) on a portfolio product: speed, equipment, move (O-13) or product (a product swap, slide 64, C-6); submit it with POST /v1/orders/{n}/submit',
      request: {
        headers: IdempotencyKeyHeader,
        params: NumberParam,
        body: jsonBody(ModifyBody),
      },
      responses: { 201: jsonResponse(OrderSchema, 'The change order (New), one line prefilled from the product'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const user = c.get('user');
      const actor = c.get('actor');
      assertCanOrder(user);
      const body = c.req.valid('json');
      const companyId = user.companyId!;
      c.set('audit', { action: 'order.modify', companyId });
      const number = normaliseNumber(c.req.valid('param').number);

      // A-1: only the company's own products; another company's (or operator's) is not found
      const rows = await companyEntriesByNumber(deps.sql, companyId, number);
      if (rows.length === 0) {
        // slide 64: "Bytt ISP - bestilling gjennomføres først. Etter at Bytt ISP bestillingen er ajourført: Legg inn endringsbestilling ved å bruke Modify Funksjonen."
        const pending = await pendingSwitch(deps.sql, companyId, number);
        if (pending) {
          throw problems.conflict(
            'switch_not_completed',
            `${number} is being taken over by your switch-ISP ${pending.number} (${pending.status}${pending.requested_date ? `, switch date ${pending.requested_date}` : ''}): switch first, then Modify — start the change once the switch has completed (I-2)`,
            { rule: 'I-2', currentStatus: pending.status, allowedActions: [], switchIsp: pending.number },
          );
        }
        throw problems.notFound(`Product ${number}`);
      }
      const entry = rows.find((r) => r.end_date === null);
      if (!entry) {
        const last = rows[0]!;
        throw problems.conflict('product_ended', `${number} ended on ${String(last.end_date)}: there is nothing left to change (M-1)`, {
          rule: 'M-1',
          currentStatus: 'ended',
          allowedActions: [],
        });
      }

      const change = body.change;
      const current = { addressId: entry.address_id, label: entry.address_label };
      const currentProduct = await deps.adapters.prices.product(entry.product_code);
      let address: InstallationAddress | null = current;
      if (change === 'move') {
        address = body.newAddress ?? null;
        const reg = address?.addressId ? await deps.adapters.addresses.get(address.addressId) : undefined;
        if (address && reg) address = { ...address, label: reg.label };
      }
      const modification: LineModification = {
        change,
        portfolioEntryId: entry.id,
        number,
        lineId: entry.line_id,
        current: {
          productCode: entry.product_code,
          speedMbps: entry.speed_mbps,
          equipment: entry.equipment,
          address: current,
          endUser: entry.end_user,
          ...(currentProduct ? { productFamily: currentProduct.family } : {}),
        },
      };
      const line: DraftLine = {
        lineNo: 1,
        endUser: entry.end_user,
        address,
        addressB: null,
        attachments: [],
        lookup: null,
        availability: null,
        booking: null,
        quoteLine: null,
        price: null,
        status: 'New',
        modification,
      };
      const draft: OrderDraft = {
        kind: orderKindOfChange(change),
        orderType: 'Standard',
        productCode: change === 'product' ? (body.productCode ?? null) : entry.product_code,
        speedMbps: change === 'speed' || change === 'product' ? (body.speedMbps ?? null) : entry.speed_mbps,
        equipment: change === 'equipment' ? (body.equipment ?? null) : entry.equipment,
        requestedDate: body.requestedDate ?? null,
        contact: body.contact ?? {},
        references: body.references ?? {},
        lines: [line],
      };

      // G-1: every failing field at once. The availability check (O-10, a move only) is run on the
      // created order at the new address, like on a new order, so it is not asked for here.
      const shape = toFieldProblems(modifyRequestProblems(body), change);
      const rules = toFieldProblems(
        validateOrderDraft(draft, await validationContext(deps, draft, companyId)).filter((p) => !(p.rule === 'O-10' && p.field.endsWith('.availability'))),
        change,
      ).filter((p) => !shape.some((s) => s.field === p.field));
      const seen = new Set<string>();
      const found = [...shape, ...rules].filter((p) => {
        const key = `${p.field}|${p.message}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      if (found.length > 0) throw problems.validation(found, 'The change order has problems; nothing was created (G-1).');

      try {
        const result = await createOnce(deps, { userId: user.id, key: c.req.header('idempotency-key'), fingerprint: ['POST /v1/portfolio/modify', number, body] }, async (tx) => {
          const open = await openChangeOrder(tx, companyId, number);
          if (open) throw changeOrderOpen(number, open);
          const view = await createOrder(deps, tx, c, draft);
          return { status: 201, body: presentOrder(view, [], actor) };
        });
        const created = result.body as ReturnType<typeof presentOrder>;
        noteCreation(c, 'order.modify', companyId, created, result.replayed, { number, change });
        return c.json(created, 201);
      } catch (err) {
        // two requests at once: the read model's open key lets only one change order per product in
        if (isOpenKeyConflict(err)) {
          const open = await openChangeOrder(deps.sql, companyId, number);
          if (open) throw changeOrderOpen(number, open);
        }
        throw err;
      }
    },
  );

  return router;
}
