// Valid requests for every route of the OpenAPI document, so validation never answers before
// authorisation is asked (issue 12): a body derived from the route's request schema, with overrides
// where a valid body needs real references (register addresses, catalogue products, uploaded
// attachments, slots), and the place where each route names an object (path, query or body), so the
// security matrix can aim the same valid request at an own, a foreign and a missing object.
import { randomUUID } from 'node:crypto';
import { daysAhead } from './orders';
import type { RouteInfo } from './routes';
import type { CompanyFixtures, ObjectKind } from './tenancy-fixtures';
import { TEST_PASSWORD } from './env';

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  default?: unknown;
  example?: unknown;
};

export interface OpenApiDoc {
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
        parameters?: { in: string; name: string; required?: boolean; schema?: Schema }[];
      }
    >
  >;
  components: { schemas: Record<string, Schema> };
}

/** A value the schema accepts: required properties only, examples and defaults first. */
export function sampleFromSchema(schema: Schema, doc: OpenApiDoc, depth = 0): unknown {
  if (depth > 8) return null;
  if (schema.$ref) return sampleFromSchema(doc.components.schemas[schema.$ref.split('/').pop()!]!, doc, depth + 1);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s) => sampleFromSchema(s, doc, depth + 1) ?? {}));
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) return sampleFromSchema(alternatives.find((s) => s.type !== 'null') ?? alternatives[0]!, doc, depth + 1);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = sampleFromSchema(schema.properties?.[key] ?? {}, doc, depth + 1);
      return out;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sampleFromSchema(schema.items ?? {}, doc, depth + 1));
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 0, (schema.exclusiveMinimum ?? -1) + 1, 1);
    case 'boolean':
      return false;
    case 'string': {
      if (schema.format === 'date') return daysAhead(30);
      if (schema.format === 'uuid') return randomUUID();
      if (schema.format === 'email') return 'probe@example.org';
      if (schema.format === 'uri') return 'https://example.org/hook';
      const text = 'A valid text for the security matrix';
      return text.slice(0, Math.max(schema.minLength ?? 1, Math.min(schema.maxLength ?? text.length, text.length)));
    }
    default:
      return null;
  }
}

/** Where a route names an object, and which kind; `with` aims a body reference while the path holds an own object. */
export interface Variant {
  kind: ObjectKind | 'none';
  place: 'path' | 'query' | 'body';
  /** For body references on a path route: the own object the path names meanwhile. */
  pathOwn?: ObjectKind;
  /** The route's second valid body: well-formed, but one its business rules refuse (G-1) — those rules must not speak before tenancy either. */
  alt?: true;
}

const CASE_PATHS: Array<[RegExp, ObjectKind[]]> = [
  [/^\/v1\/handler\/service-requests\/\{number\}/, ['srSubmitted']],
  [/^\/v1\/service-requests\/\{number\}/, ['sr', 'srSubmitted']],
  [/^\/v1\/(handler\/)?quotes\/\{number\}/, ['quoteNew', 'quoteCompleted']],
  [/^\/v1\/orders\/\{number\}/, ['orderDraft', 'orderSubmitted']],
  [/^\/v1\/handler\/order-lines\/\{number\}/, ['orderLine']],
  [/^\/v1\/handler\/cases\/\{number\}/, ['srSubmitted', 'quoteNew', 'orderLine', 'switch', 'termination']],
  [/^\/v1\/handler\/orders\/\{number\}/, ['orderSubmitted']],
  [/^\/v1\/(handler\/)?switch-isp\/\{number\}/, ['switch']],
  [/^\/v1\/(handler\/)?terminations\/\{number\}/, ['termination']],
  [/^\/v1\/handler\/trouble-tickets\/\{number\}/, ['ttSubmitted']],
  [/^\/v1\/trouble-tickets\/\{number\}/, ['tt', 'ttSubmitted']],
  [/^\/v1\/portfolio\/\{number\}/, ['portfolio']],
  [/^\/v1\/cases\/\{number\}/, ['sr', 'quoteNew', 'orderDraft', 'orderLine', 'switch', 'termination', 'tt']],
  [/^\/v1\/attachments\/\{id\}/, ['attachment']],
  [/^\/v1\/contacts\/\{id\}/, ['contact']],
  [/^\/v1\/webhooks\/\{id\}/, ['webhook']],
  [/^\/v1\/(handler\/)?invoices\/\{number\}/, ['invoice']],
];

/** Every way the route can be aimed at an object (one `none` variant when it names none). */
export function variantsOf(route: RouteInfo): Variant[] {
  const key = `${route.method} ${route.path}`;
  for (const [pattern, kinds] of CASE_PATHS) {
    if (pattern.test(route.path)) {
      const out: Variant[] = kinds.map((kind) => ({ kind, place: 'path' }));
      // a foreign id in the body of a route on an own case (G-4: attachments of the same company only)
      if (key === 'POST /v1/service-requests/{number}/update') out.push({ kind: 'attachment', place: 'body', pathOwn: 'sr' });
      if (key === 'POST /v1/trouble-tickets/{number}/update') out.push({ kind: 'attachment', place: 'body', pathOwn: 'tt' });
      if (key === 'POST /v1/orders/{number}/lines' || key === 'PUT /v1/orders/{number}/lines/{lineNo}') out.push({ kind: 'attachment', place: 'body', pathOwn: 'orderDraft' });
      if (key === 'POST /v1/quotes/{number}/lines') out.push({ kind: 'attachment', place: 'body', pathOwn: 'quoteNew' });
      if (key === 'POST /v1/handler/switch-isp/{number}/cancel') out.push({ kind: 'srSubmitted', place: 'body', pathOwn: 'switch' });
      // O-4 / O-10: the other company's line number in a look-up or availability check on an own draft
      if (key === 'POST /v1/orders/{number}/lines/{lineNo}/lookup') out.push({ kind: 'phone', place: 'body', pathOwn: 'orderDraft' });
      if (key === 'POST /v1/orders/{number}/lines/{lineNo}/availability') out.push({ kind: 'phone', place: 'body', pathOwn: 'orderDraft' });
      if (ALT_BODIES[key]) out.push(...kinds.map((kind) => ({ kind, place: 'path' as const, alt: true as const })));
      return out;
    }
  }
  const out: Variant[] = [];
  if (route.queryParams.includes('companyId')) out.push({ kind: 'company', place: 'query' });
  if (route.queryParams.includes('q')) out.push({ kind: 'search', place: 'query' });
  if (key === 'GET /v1/service-requests/reference-check') out.push({ kind: 'orderSubmitted', place: 'query' }, { kind: 'quoteNew', place: 'query' });
  if (key === 'GET /v1/terminations/earliest-date') out.push({ kind: 'portfolio', place: 'query' });
  if (key === 'GET /v1/reference/availability') out.push({ kind: 'phone', place: 'query' });
  if (key === 'GET /v1/handler/order-lines' || key === 'GET /v1/handler/quote-lines') out.push({ kind: 'company', place: 'query' });
  if (key === 'POST /v1/terminations') out.push({ kind: 'portfolio', place: 'body' });
  if (key === 'POST /v1/trouble-tickets' || key === 'POST /v1/trouble-tickets/precheck') out.push({ kind: 'portfolio', place: 'body' });
  if (key === 'POST /v1/trouble-tickets') out.push({ kind: 'attachment', place: 'body' }, { kind: 'invoice', place: 'body' });
  if (key === 'POST /v1/service-requests') out.push({ kind: 'tt', place: 'body' });
  if (key === 'POST /v1/service-requests')
    out.push({ kind: 'orderSubmitted', place: 'body' }, { kind: 'quoteNew', place: 'body' }, { kind: 'attachment', place: 'body' }, { kind: 'invoice', place: 'body' });
  if (key === 'POST /v1/orders' || key === 'POST /v1/quotes') out.push({ kind: 'attachment', place: 'body' });
  if (key === 'POST /v1/orders/from-quote') out.push({ kind: 'quoteCompleted', place: 'body' });
  return out.length > 0 ? [...new Map(out.map((v) => [`${v.kind}/${v.place}`, v])).values()] : [{ kind: 'none', place: 'path' }];
}

/** What a valid body needs besides the object: the acting company's own references. */
export interface BodyContext {
  actor: CompanyFixtures;
  /** Catalogue codes read from GET /v1/reference/products. */
  products: { adsl: string; capacity: string };
  /** A fresh, unused register address per call (O-19: no accidental duplicates). */
  freshAddress: () => string;
  /** Another operator's subscription with the owner's authorisation (I-4), one per call. */
  switchable: () => { phoneNumber: string; reference: string };
}

/** Well-formed bodies that the route's business rules refuse (a date in the past, an incomplete name). */
const ALT_BODIES: Record<string, () => unknown> = {
  'POST /v1/orders/{number}/lines/{lineNo}/customer-update': () => ({ endUser: { kind: 'person', name: 'X', birthDate: '1990-01-01' }, requestedDate: '2020-01-01' }),
  'PATCH /v1/orders/{number}': () => ({ requestedDate: '2020-01-01' }),
  'PUT /v1/orders/{number}/lines/{lineNo}': () => ({ address: { addressId: 'adr-0011' } }),
  'POST /v1/switch-isp/{number}/change-date': () => ({ requestedDate: '2020-01-01' }),
  'POST /v1/terminations/{number}/change-date': () => ({ requestedDate: '2020-01-01' }),
  'POST /v1/orders/{number}/lines/{lineNo}/booking': () => ({ slotId: 'OSLO-2020-01-01-0812' }),
  'POST /v1/orders/{number}/cancel': () => ({ acceptedFeeOre: 1 }),
  // C-6: a product swap (a 400 on an own product, never a hint about another company's)
  'POST /v1/portfolio/{number}/modify': () => ({ change: 'product', productCode: 'PSTN', requestedDate: '2020-01-01' }),
};

let counter = 0;
const unique = () => `${process.pid}-${++counter}`;

/**
 * The valid body of a route. `object` is the value the variant puts into the body (the referenced
 * case, attachment or portfolio number), or undefined when the body names none.
 */
export function validBody(route: RouteInfo, doc: OpenApiDoc, ctx: BodyContext, variant: Variant, object: string | undefined): unknown {
  const own = ctx.actor.objects;
  const att = variant.kind === 'attachment' && variant.place === 'body' ? object! : own.attachment;
  const endUser = { kind: 'person', name: 'Matrix Sluttbruker', birthDate: '1980-02-02' };
  const comment = { comment: 'Checked by the security matrix' };
  const lineBody = () => ({ endUser, address: { addressId: ctx.freshAddress() }, attachmentIds: [att] });
  const quoteLine = { productCode: ctx.products.capacity, speedMbps: 34, addressAId: 'adr-0003', addressBId: 'adr-0004', attachmentIds: [att] };
  const overrides: Record<string, () => unknown> = {
    'POST /v1/auth/login': () => ({ username: 'kari.nordnett', password: TEST_PASSWORD }),
    'POST /v1/service-requests': () => ({
      area: 'Delivery',
      subArea: 'Broadband',
      description: 'The end user is not ready before March, please move the date',
      reference:
        variant.kind === 'orderSubmitted'
          ? { kind: 'order', value: object }
          : variant.kind === 'quoteNew'
            ? { kind: 'quote', value: object }
            : variant.kind === 'tt'
              ? { kind: 'trouble_ticket', value: object }
              : variant.kind === 'invoice'
                ? { kind: 'invoice', value: object }
                : { kind: 'other', value: `MATRIX-${unique()}` },
      attachmentIds: [att],
    }),
    'POST /v1/service-requests/{number}/submit': () => comment,
    'POST /v1/service-requests/{number}/update': () => ({ description: 'Updated by the security matrix: back entrance', attachmentIds: [att] }),
    'POST /v1/service-requests/{number}/close': () => comment,
    'POST /v1/service-requests/{number}/cancel': () => comment,
    'POST /v1/handler/service-requests/{number}/request-info': () => ({ text: 'Which entrance is the line at?' }),
    'POST /v1/handler/service-requests/{number}/complete': () => ({ text: 'The delivery is planned for next Tuesday', attachmentIds: [] }),
    'POST /v1/handler/service-requests/{number}/cancel': () => ({ text: 'Duplicate of an earlier request' }),
    'POST /v1/quotes': () => ({ customerReference: `MATRIX-${unique()}`, lines: [quoteLine] }),
    'POST /v1/quotes/{number}/lines': () => quoteLine,
    'PATCH /v1/quotes/{number}/lines/{lineNo}': () => ({ speedMbps: 155, addressAId: 'adr-0003', addressBId: 'adr-0004' }),
    'POST /v1/quotes/{number}/submit': () => ({ confirmManualPricing: [] }),
    'POST /v1/quotes/{number}/cancel': () => comment,
    'POST /v1/quotes/{number}/lines/{lineNo}/customer-update': () => comment,
    'POST /v1/quotes/{number}/lines/{lineNo}/close': () => comment,
    'POST /v1/quotes/{number}/lines/{lineNo}/cancel': () => comment,
    'POST /v1/handler/quotes/{number}/lines/{lineNo}/incomplete': () => ({ comment: 'Which floor is the equipment room on?' }),
    'POST /v1/handler/quotes/{number}/lines/{lineNo}/complete': () => ({ monthlyRentOre: 250_000, establishmentOre: 1_000_000, comment: 'Priced' }),
    'POST /v1/handler/quotes/{number}/lines/{lineNo}/cancel': () => ({ comment: 'Not deliverable' }),
    'POST /v1/orders': () => ({
      orderType: 'Standard',
      productCode: ctx.products.adsl,
      speedMbps: 8,
      requestedDate: daysAhead(20),
      contact: { name: 'Matrix Kontakt', phone: '91234567' },
      references: { customerOrderRef: `MATRIX-${unique()}` },
      lines: [lineBody()],
    }),
    'PATCH /v1/orders/{number}': () => ({ requestedDate: daysAhead(21), references: { customerOrderRef: `MATRIX-${unique()}` } }),
    'POST /v1/orders/{number}/lines': lineBody,
    'PUT /v1/orders/{number}/lines/{lineNo}': lineBody,
    // another operator's line (Kapaks' documented example), not the other reseller's
    'POST /v1/orders/{number}/lines/{lineNo}/lookup': () => ({ lineNumber: variant.kind === 'phone' ? object : '22604411' }),
    'POST /v1/orders/{number}/lines/{lineNo}/availability': () => (variant.kind === 'phone' ? { phoneNumber: object } : { addressId: ctx.actor.draftAddressId }),
    'POST /v1/orders/{number}/lines/{lineNo}/availability/select': () => ({ lineId: 'LIN-000001' }),
    'POST /v1/orders/{number}/lines/{lineNo}/booking': () => ({ slotId: ctx.actor.slotId }),
    'PUT /v1/orders/{number}/lines/{lineNo}/booking': () => ({ slotId: ctx.actor.slotId }),
    'POST /v1/orders/{number}/cancel': () => ({ acceptedFeeOre: 0, reason: 'The end user moved' }),
    'POST /v1/orders/{number}/lines/{lineNo}/cancel': () => ({ acceptedFeeOre: 0, reason: 'The end user moved' }),
    'POST /v1/orders/from-quote': () => ({ quoteNumber: object ?? own.quoteCompleted, lineNo: 1 }),
    // issue 12's request (a): a register address as the fix of an Incomplete line
    'POST /v1/orders/{number}/lines/{lineNo}/customer-update': () => ({ address: { addressId: 'adr-0001' } }),
    'POST /v1/handler/order-lines/{number}/in-progress': () => ({ comment: 'Working on it' }),
    'POST /v1/handler/order-lines/{number}/incomplete': () => ({ comment: 'The flat number is missing' }),
    'POST /v1/handler/order-lines/{number}/reject': () => ({ statusDescription: 'No capacity at the exchange' }),
    'POST /v1/handler/order-lines/{number}/cancel': () => ({ comment: 'Cancelled on request' }),
    'POST /v1/handler/order-lines/{number}/advance': () => ({ to: 'Ordered' }),
    'POST /v1/handler/order-lines/{number}/complete-manual-handling': () => ({ comment: 'Kapaks checked by hand: green' }),
    'POST /v1/attachments': () => ({ filename: `matrix-${unique()}.txt`, contentType: 'text/plain', contentBase64: 'aGVp' }),
    'POST /v1/portfolio/{number}/modify': () => ({ change: 'equipment', equipment: 'Router with Wi-Fi 6', requestedDate: daysAhead(30) }),
    'POST /v1/switch-isp': () => {
      const s = ctx.switchable();
      return { number: s.phoneNumber, productCode: ctx.products.adsl, requestedDate: daysAhead(20), authorisationReference: s.reference };
    },
    'POST /v1/switch-isp/{number}/change-date': () => ({ requestedDate: daysAhead(22) }),
    'POST /v1/terminations': () => ({ number: object ?? own.portfolio, requestedDate: daysAhead(120), scope: 'product', reason: 'The end user moved' }),
    'POST /v1/terminations/{number}/change-date': () => ({ requestedDate: daysAhead(130) }),
    'POST /v1/terminations/{number}/withdraw': () => comment,
    'POST /v1/handler/switch-isp/{number}/cancel': () => ({ serviceRequest: variant.place === 'body' ? object : own.srSubmitted, reason: 'The end user withdrew the authorisation' }),
    'POST /v1/trouble-tickets/precheck': () => ({ number: object ?? own.portfolio }),
    'POST /v1/trouble-tickets': () => ({
      number: variant.kind === 'portfolio' ? object : own.portfolio,
      symptom: 'No dial tone since this morning (security matrix)',
      category: 'No service',
      severity: 'Major',
      endUserContact: { name: 'Matrix Sluttbruker', phone: '41234567', accessHours: 'Weekdays 08–16' },
      attachmentIds: [att],
    }),
    'POST /v1/trouble-tickets/{number}/update': () => ({ symptom: 'Updated by the security matrix: no sync either', attachmentIds: [att] }),
    'POST /v1/trouble-tickets/{number}/submit': () => comment,
    'POST /v1/trouble-tickets/{number}/customer-update': () => ({ text: 'Only the power light is on' }),
    'POST /v1/trouble-tickets/{number}/confirm': () => comment,
    'POST /v1/trouble-tickets/{number}/reopen': () => ({ reason: 'Still no dial tone' }),
    'POST /v1/trouble-tickets/{number}/cancel': () => comment,
    'POST /v1/trouble-tickets/{number}/appointment': () => ({ slotId: ctx.actor.slotId }),
    'POST /v1/handler/trouble-tickets/{number}/request-info': () => ({ text: 'Which lights are on on the modem?' }),
    'POST /v1/handler/trouble-tickets/{number}/resolve': () => ({ cause: 'Cable cut', resolution: 'Cable spliced, line tested OK' }),
    // switch-ISP and termination orders (issue 13): the customer's answer and the handler's O-15 steps
    'POST /v1/switch-isp/{number}/customer-update': () => ({ comment: 'Confirmed with the end user' }),
    'POST /v1/terminations/{number}/customer-update': () => ({ comment: 'Only this number' }),
    'POST /v1/handler/switch-isp/{number}/in-progress': () => ({ comment: 'Working on it' }),
    'POST /v1/handler/switch-isp/{number}/incomplete': () => ({ comment: 'Confirm the end user' }),
    'POST /v1/handler/switch-isp/{number}/reject': () => ({ statusDescription: 'The line is being ported' }),
    'POST /v1/handler/switch-isp/{number}/advance': () => ({ to: 'Ordered' }),
    'POST /v1/handler/terminations/{number}/in-progress': () => ({ comment: 'Working on it' }),
    'POST /v1/handler/terminations/{number}/incomplete': () => ({ comment: 'Which number?' }),
    'POST /v1/handler/terminations/{number}/reject': () => ({ statusDescription: 'The number is being ported' }),
    'POST /v1/handler/terminations/{number}/advance': () => ({ to: 'Ordered' }),
    'POST /v1/handler/terminations/{number}/cancel': () => ({ comment: 'Cancelled on request' }),
    'POST /v1/handler/switch-isp/{number}/follow-up': () => ({ comment: 'Called the reseller: a new switch with the right losing operator' }),
    'POST /v1/handler/terminations/{number}/follow-up': () => ({ comment: 'Called the reseller about the rejection' }),
    'POST /v1/contacts': () => ({ name: 'Matrix Kontakt', email: `matrix-${unique()}@nordnett.example`, kind: 'personal' }),
    'PATCH /v1/contacts/{id}': () => ({ name: 'Matrix Kontakt Endret' }),
    'POST /v1/webhooks': () => ({ url: `https://hooks.nordnett.example/matrix-${unique()}`, eventTypes: ['order.status_changed'] }),
    // the handler's tools and user administration (issue 15)
    'POST /v1/handler/cases/{number}/assign': () => ({ assignee: 'henrik.handler' }),
    'POST /v1/handler/cases/{number}/notes': () => ({ visibility: 'internal', text: 'Checked by the security matrix' }),
    'POST /v1/handler/cases/{number}/attachments': () => ({ filename: `matrix-${unique()}.txt`, contentType: 'text/plain', contentBase64: 'aGVp' }),
    'POST /v1/handler/service-requests/{number}/reroute': () => ({ area: 'Invoice', subArea: 'Wrong invoice', reason: 'Moved by the security matrix' }),
    'POST /v1/handler/service-requests/{number}/complete-user-admin': () => ({ text: 'Done', change: { kind: 'update', username: 'kari.nordnett', addTraining: ['fault'] } }),
    'POST /v1/handler/order-lines/{number}/dates': () => ({ agreedDate: daysAhead(35), reason: 'Moved by the security matrix' }),
    'POST /v1/handler/order-lines/{number}/release-duplicate': () => ({ reason: 'Checked by the security matrix' }),
    'POST /v1/handler/order-lines/{number}/mark-duplicate': () => ({ duplicateOf: 'ORD-000000001:1', reason: 'Checked by the security matrix' }),
    'POST /v1/handler/orders/{number}/bulk': () => ({ action: 'advance', to: 'Ordered' }),
    'POST /v1/handler/users': () => ({
      companyId: 'nordnett',
      username: `matrix.user${unique().replace(/-/g, '')}`,
      fullName: 'Matrix Bruker',
      email: `matrix-${unique()}@nordnett.example`,
      accessType: 'read',
    }),
    'PATCH /v1/handler/users/{username}': () => ({ accessType: 'read' }),
    'POST /v1/handler/users/{username}/close': () => ({ reason: 'leaving' }),
    'POST /v1/handler/invoices/{number}/outcome': () => ({ serviceRequest: own.srSubmitted, outcome: 'rejected', note: 'Checked by the security matrix' }),
    'POST /v1/handler/invoice-runs': () => ({ period: '2026-11' }),
  };
  const key = `${route.method} ${route.path}`;
  if (variant.alt && ALT_BODIES[key]) return ALT_BODIES[key]();
  const override = overrides[key];
  if (override) return override();
  const schema = doc.paths[route.path]?.[route.method.toLowerCase()]?.requestBody?.content['application/json']?.schema;
  return schema ? sampleFromSchema(schema, doc) : undefined;
}

/** Valid query strings (without the object), per route. */
const QUERIES: Record<string, (ctx: BodyContext) => Record<string, string>> = {
  'GET /v1/reference/addresses': () => ({ street: 'kirke' }),
  'GET /v1/handler/invoice-runs': () => ({ period: '2026-11' }),
  'GET /v1/reference/availability': (ctx) => ({ productCode: ctx.products.adsl, addressId: 'adr-0069' }),
  'GET /v1/reference/appointment-slots': (ctx) => ({ addressId: ctx.actor.draftAddressId, from: daysAhead(30), to: daysAhead(37) }),
  'GET /v1/service-requests/reference-check': () => ({ kind: 'other', value: 'MATRIX-none' }),
  'GET /v1/terminations/earliest-date': (ctx) => ({ number: ctx.actor.objects.portfolio }),
  'GET /v1/switch-isp/lookup': () => ({ phoneNumber: '22171903' }),
};

/** The query of a route aimed at `object` (where the variant puts it into the query). */
export function validQuery(route: RouteInfo, ctx: BodyContext, variant: Variant, object: string | undefined): Record<string, string> {
  const base = QUERIES[`${route.method} ${route.path}`]?.(ctx) ?? {};
  if (variant.place !== 'query' || object === undefined) return base;
  switch (variant.kind) {
    case 'company':
      return { ...base, companyId: object };
    case 'search':
      return { ...base, q: object };
    case 'portfolio':
      return { ...base, number: object };
    case 'phone':
      return { productCode: ctx.products.adsl, phoneNumber: object };
    case 'orderSubmitted':
      return { kind: 'order', value: object };
    case 'quoteNew':
      return { kind: 'quote', value: object };
    default:
      return base;
  }
}

/** The path with its parameters filled: the object where the variant puts it there, own objects elsewhere. */
export function fillRoutePath(route: RouteInfo, ctx: BodyContext, variant: Variant, object: string | undefined): string {
  const pathObject = variant.place === 'path' && variant.kind !== 'none' ? object : variant.pathOwn ? ctx.actor.objects[variant.pathOwn] : undefined;
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === 'lineNo') return '1';
    if (name === 'department') return 'customer-service';
    if (route.path.startsWith('/v1/reference/addresses/')) return 'adr-0003';
    // issue 15 (G-4): an attachment id no case carries, so deleting from an own case never removes a fixture's file
    if (name === 'id' && route.path === '/v1/cases/{number}/attachments/{id}') return '00000000-0000-4000-8000-00000000000a';
    return encodeURIComponent(pathObject ?? 'x');
  });
}
