// Switch-ISP look-up (I-3): find the end user's existing broadband product by phone number (shared
// access) or installation address (full access), revealing only what a switch needs — never the owner,
// the start date or the holder's own references. Audited and rate-limited per user; registration
// (switch-isp.ts) finds its subscription by the same rules.
import { createRoute, z } from '@hono/zod-openapi';
import { PRODUCT_CATALOG, type Product } from '../../adapters/price-list';
import type { Queryable } from '../../db/client';
import { currentEntriesAtAddress, currentEntriesByNumber, type PortfolioRow } from '../../db/portfolio';
import type { TokenBucket } from '../../db/rate-limit';
import { isBroadband } from '../../domain/portfolio';
import { accessTypeChangeProblem, earliestSwitchDate, isSwitched, isSwitchTarget, switchLeadDays, technicianRequired } from '../../domain/switch-isp';
import { osloDate } from '../../domain/time';
import { assertCanOrder, requireAuth } from '../auth';
import type { AppDeps, AuthUser } from '../context';
import { throttlePerUser } from '../kit/throttle';
import { jsonResponse, problemResponses } from '../openapi';
import { problems } from '../problem';
import { createRouter } from '../router';

export const AddressRef = z.object({ id: z.string(), label: z.string() });

/** What a look-up shows of any switchable subscription (I-3, I-5, I-6). */
const SwitchFacts = z.object({
  address: AddressRef,
  losingOperator: z.string().openapi({ description: 'I-3: the operator the end user leaves' }),
  leadDays: z.number().int(),
  earliestDate: z.string().openapi({ description: 'I-5: the earliest requested date if registered today' }),
  targets: z
    .array(z.object({ productCode: z.string(), productName: z.string(), technicianRequired: z.boolean() }))
    .openapi({ description: 'I-2 / I-6: products with the same access type, and whether each needs a technician' }),
});

const CandidateSchema = SwitchFacts.extend({
  number: z.string(),
  numberKind: z.enum(['phone', 'circuit']),
  productCode: z.string(),
  productName: z.string(),
  accessType: z.enum(['shared', 'full']).nullable().openapi({ description: 'null for SHDSL (switched too, slide 65)' }),
  speedMbps: z.number().nullable(),
}).openapi('SwitchCandidate');

const AddressCandidateSchema = SwitchFacts.extend({
  subscriptionRef: z.string().openapi({ description: 'Names this subscription when you register the switch (instead of a number)' }),
  accessType: z.literal('full'),
}).openapi('SwitchAddressCandidate', { description: 'I-3 (full access): a subscription at the address, without its number, product or end user' });

export const product = (code: string): Product | undefined => PRODUCT_CATALOG.get(code);

/** I-2 / I-6: the products a subscription may be switched to, with the technician rule for each. */
function switchTargets(from: Product) {
  return [...PRODUCT_CATALOG.values()]
    .filter((p) => isSwitchTarget(p) && p.accessType === from.accessType)
    .map((p) => ({ productCode: p.code, productName: p.name, technicianRequired: technicianRequired(from.code, p.code) }));
}

/** I-3 by phone number (shared access): only what a switch needs — never the owner, the start date or the holder's own references. */
function candidate(row: PortfolioRow, today: string): z.infer<typeof CandidateSchema> {
  const from = product(row.product_code)!;
  const leadDays = switchLeadDays(from);
  return {
    number: row.number,
    numberKind: row.number_kind,
    productCode: row.product_code,
    productName: row.product_name,
    accessType: row.access_type,
    speedMbps: row.speed_mbps,
    address: { id: row.address_id, label: row.address_label },
    losingOperator: row.operator,
    leadDays,
    earliestDate: earliestSwitchDate(today, leadDays),
    targets: switchTargets(from),
  };
}

/**
 * I-3 by address (full access): the correct address is what identifies a full-access subscription, so
 * the answer says that one exists, whom the end user leaves (I-3), its access type (I-2), lead time (I-5)
 * and the technician rule of each target (I-6), and gives a reference to register it by. Its number,
 * product, speed and end user stay with the losing operator until a switch with the owner's
 * authorisation (I-4) is registered.
 */
function addressCandidate(row: PortfolioRow, today: string): z.infer<typeof AddressCandidateSchema> {
  const from = product(row.product_code)!;
  const leadDays = switchLeadDays(from);
  return {
    subscriptionRef: row.id,
    accessType: 'full',
    address: { id: row.address_id, label: row.address_label },
    losingOperator: row.operator,
    leadDays,
    earliestDate: earliestSwitchDate(today, leadDays),
    targets: switchTargets(from),
  };
}

const NEW_ORDER = (what: string) => `${what}: the end user has no ADSL or operator access to take over, so this must be a new order (I-3, O-13)`;

export type Found = { row: PortfolioRow } | { problem: string; code: 'new_order_required' | 'already_in_portfolio' | 'not_switchable' };

/**
 * The broadband product on a number, or why there is none to switch (I-1, I-3). A refusal names no
 * product: a number without broadband and a number nobody has answer the same words, and another
 * operator's product stays its own.
 */
export function broadbandOn(rows: PortfolioRow[], number: string, companyId: string): Found {
  const row = rows.find((r) => {
    const p = product(r.product_code);
    return p !== undefined && isBroadband(p);
  });
  if (!row) return { code: 'new_order_required', problem: NEW_ORDER(`no ADSL or operator access on ${number}`) };
  return switchableEntry(row, number, companyId);
}

function switchableEntry(row: PortfolioRow, label: string, companyId: string): Found {
  if (row.company_id === companyId) return { code: 'already_in_portfolio', problem: `${label} is already in your portfolio` };
  if (!isSwitched(product(row.product_code)!)) {
    return {
      code: 'not_switchable',
      problem: `the broadband on ${label} is not switched by the order system (I-1: ADSL, operator access and SHDSL only): the end user terminates it and you place a new order`,
    };
  }
  return { row };
}

/** A subscription named by the reference the look-up by address gave (full access, I-3). */
export function bySubscriptionRef(row: PortfolioRow | undefined, companyId: string): Found {
  if (!row || row.end_date !== null) return { code: 'new_order_required', problem: 'no current subscription with this reference: look the address up again (I-3)' };
  return switchableEntry(row, 'this subscription', companyId);
}

/** I-3: look-ups reveal other operators' lines, so each user gets 30 a minute (burst 30, one back every 2 s). */
export const SWITCH_LOOKUP_LIMIT: TokenBucket = { capacity: 30, refillPerSecond: 30 / 60 };

/** A look-up (or a registration, which looks the number up too) takes a token from the user's bucket. */
export function throttleLookup(sql: Queryable, user: AuthUser, setHeader: (name: string, value: string) => void): Promise<void> {
  return throttlePerUser(sql, user, { bucket: 'switch-isp-lookup', limit: SWITCH_LOOKUP_LIMIT, label: 'switch-ISP look-ups', rule: 'I-3' }, setHeader);
}

export function switchIspLookupRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('/lookup', requireAuth(deps));
  const secured = { security: [{ bearer: [] }], tags: ['Switch-ISP'] };

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/lookup',
      summary: "I-3: find the end user's existing broadband product — by phone number (shared access) or installation address (full access)",
      description:
        'Reveals only what a switch needs. By phone number: product, access type, number, address and the losing operator. ' +
        'By address: the full-access subscriptions there with the losing operator and a subscriptionRef to register by, ' +
        'never their numbers, products or end users. Every look-up is audited; 30 a minute per user (429 with Retry-After).',
      request: {
        query: z
          .object({
            phoneNumber: z
              .string()
              .regex(/^\d{8}$/, 'a phone number is 8 digits')
              .optional(),
            addressId: z.string().min(1).max(40).optional(),
            productCode: z.string().min(1).max(40).optional().openapi({ description: 'The product you would switch to: checks I-2 at once' }),
          })
          .refine((q) => (q.phoneNumber === undefined) !== (q.addressId === undefined), { message: 'give exactly one of phoneNumber, addressId', path: ['phoneNumber'] }),
      },
      responses: {
        200: jsonResponse(z.object({ items: z.union([z.array(CandidateSchema), z.array(AddressCandidateSchema)]) }), 'Subscriptions that can be switched'),
        ...problemResponses(400, 401, 403, 422, 429),
      },
    }),
    async (c) => {
      const user = c.get('user');
      const q = c.req.valid('query');
      // every look-up leaves a row saying who looked up what, refused and throttled ones too
      const looked = { ...(q.phoneNumber ? { phoneNumber: q.phoneNumber } : { addressId: q.addressId }), ...(q.productCode ? { productCode: q.productCode } : {}) };
      c.set('audit', { action: 'switch_isp.lookup', companyId: user.companyId, auditRead: true, detail: { lookup: looked } });
      assertCanOrder(user);
      await throttleLookup(deps.sql, user, (k, v) => c.header(k, v));
      const companyId = user.companyId!;
      const today = osloDate(new Date());
      let rows: PortfolioRow[];
      if (q.phoneNumber) {
        const found = broadbandOn(await currentEntriesByNumber(deps.sql, q.phoneNumber), q.phoneNumber, companyId);
        if ('problem' in found) throw problems.unprocessable(found.code, found.problem, { rule: 'I-3' });
        rows = [found.row];
      } else {
        // I-3: an address identifies full-access subscriptions only; shared access is found by its phone number
        const all = await currentEntriesAtAddress(deps.sql, q.addressId!);
        rows = all.filter((r) => {
          const p = product(r.product_code);
          return p !== undefined && isSwitched(p) && r.access_type === 'full' && r.company_id !== companyId;
        });
        if (rows.length === 0) {
          throw problems.unprocessable(
            'new_order_required',
            NEW_ORDER(`no full-access ADSL or operator access of another operator at address ${q.addressId} ` + "(shared access is looked up by the subscription's phone number)"),
            { rule: 'I-3' },
          );
        }
      }
      if (q.productCode) {
        const to = product(q.productCode);
        if (!to || !isSwitchTarget(to)) {
          throw problems.validation([{ field: 'query.productCode', code: 'invalid_value', rule: 'I-1', message: `${q.productCode} is not an ADSL or operator-access product you can switch to` }]);
        }
        const sameType = rows.filter((r) => r.access_type === to.accessType);
        if (sameType.length === 0) throw problems.unprocessable('access_type_change', accessTypeChangeProblem(product(rows[0]!.product_code)!, to)!, { rule: 'I-2' });
        rows = sameType;
      }
      c.set('audit', { ...c.get('audit'), detail: { lookup: looked, results: rows.length } });
      return c.json({ items: q.phoneNumber ? rows.map((r) => candidate(r, today)) : rows.map((r) => addressCandidate(r, today)) }, 200);
    },
  );

  return router;
}
