// Read-only views of the wholesaler's systems that a user needs while registering (X-1… ).
import { isExternal } from '../../domain/identity';
import { actorOf } from '../context';
import { refuseAnotherProvidersLine } from './order-support';
import { withoutOthersNumbers } from '../../domain/availability';
import { createRoute, z } from '@hono/zod-openapi';
import type { TokenBucket } from '../../db/rate-limit';
import { IsoDate } from '../dates';
import { throttlePerUser } from '../kit/throttle';
import { requireAuth } from '../auth';
import type { AppDeps } from '../context';
import { jsonResponse, problemResponses } from '../openapi';
import { problems } from '../problem';
import { createRouter } from '../router';
import { STATUS_SCOPES, STATUS_TEXTS } from '../../domain/statuses';

const AddressSchema = z
  .object({
    id: z.string(),
    label: z.string(),
    street: z.string().optional(),
    houseNumber: z.number().int().optional(),
    houseLetter: z.string().optional(),
    entrance: z.string().optional(),
    floor: z.string().optional(),
    flat: z.string().optional(),
    postcode: z.string(),
    town: z.string(),
    municipality: z.string(),
    lat: z.number(),
    lon: z.number(),
    approximatePosition: z.boolean().optional(),
    zone: z.number().int(),
    cadastral: z.object({ municipalityNo: z.string(), gnr: z.number().int(), bnr: z.number().int() }).optional(),
    insa: z.string().optional(),
    postBox: z.boolean().optional(),
  })
  .openapi('Address');

const ProductSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    family: z.string(),
    accessType: z.string().optional(),
    twoEnded: z.boolean(),
    needsSpeed: z.boolean(),
    speedsMbps: z.array(z.number()).optional(),
    priceListProduct: z.boolean(),
    quoteOnly: z.boolean(),
    leadTimeDays: z.number().int(),
    terminationNoticeDays: z.number().int(),
    repairTargetHours: z.number().int().openapi({ description: 'M-2.4: the repair-time target of a trouble ticket on this product, in hours (paused while the ticket waits on the customer)' }),
  })
  .openapi('Product');

const AvailabilitySchema = z
  .object({
    lineId: z.string(),
    phoneNumber: z.string().optional().openapi({ description: 'Only when the check was by number' }),
    circuitNumber: z.string().optional().openapi({ description: 'Only when the check was by number' }),
    addressId: z.string(),
    addressLabel: z.string(),
    colour: z.enum(['green', 'yellow', 'red']),
    yellowKind: z.enum(['system_error', 'unclear']).optional().openapi({ description: 'O-10: system_error — cannot book, may submit; unclear — book the technician yourself' }),
    reason: z.string(),
  })
  .openapi('AvailabilityLine');

const LocalisedText = z.object({ nb: z.string().openapi({ description: 'Bokmål' }), en: z.string().openapi({ description: 'English' }) });
const StatusTextSchema = z
  .object({
    scope: z.enum(STATUS_SCOPES).openapi({ description: "The vocabulary: a case type's statuses, or quote lines' (Q-9)" }),
    status: z.string().openapi({ description: 'The status value as the API carries it (`status` of a case or line)', example: 'Field Service' }),
    code: z.string().nullable().openapi({ description: 'O-15: the letter of a delivery status (O, D, R, M, T, L, F, A), else null', example: 'M' }),
    label: LocalisedText.openapi({ description: 'What a screen shows, e.g. "Field Service (M)"' }),
    explanation: LocalisedText.openapi({ description: "The deck's explanation of the status (G-3: handlers see the same texts)" }),
    final: z.boolean().openapi({ description: 'Nothing more happens to a case in this status' }),
    source: z.string().nullable().openapi({ description: "The deck's slide the bokmål text follows, or null for this system's own wording" }),
  })
  .openapi('StatusText');

const SlotSchema = z.object({ slotId: z.string(), date: z.string(), window: z.string(), area: z.string() }).openapi('AppointmentSlot');

/** O-10 checks by address list a building's lines: 60 a minute per user (a frontend checks one order's lines at a time). */
const AVAILABILITY_LIMIT: TokenBucket = { capacity: 60, refillPerSecond: 1 };

export function referenceRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('*', requireAuth(deps));
  const secured = { security: [{ bearer: [] }], tags: ['Reference data'] };
  const { adapters } = deps;

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/addresses',
      summary: 'Address search (Q-3): partial street, number, postcode, town, or cadastral / INSA',
      request: {
        query: z.object({
          street: z.string().max(100).optional(),
          houseNumber: z.coerce.number().int().min(0).optional(),
          postcode: z
            .string()
            .regex(/^\d{4}$/)
            .optional(),
          town: z.string().max(100).optional(),
          gnr: z.coerce.number().int().min(1).optional(),
          bnr: z.coerce.number().int().min(1).optional(),
          municipalityNo: z
            .string()
            .regex(/^\d{4}$/)
            .optional(),
          insa: z.string().max(40).optional(),
          limit: z.coerce.number().int().min(1).max(50).default(20),
        }),
      },
      responses: { 200: jsonResponse(z.object({ items: z.array(AddressSchema) }), 'Best hits first'), ...problemResponses(400, 401, 503) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { limit, ...criteria } = q;
      if (Object.values(criteria).every((v) => v === undefined || v === '')) {
        throw problems.validation([{ field: 'query', code: 'missing_property', rule: 'Q-3', message: 'give at least one of street, houseNumber, postcode, town, gnr/bnr or insa' }]);
      }
      return c.json({ items: await adapters.addresses.search({ ...criteria, limit }) }, 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/addresses/{id}',
      summary: 'One address',
      request: {
        params: z.object({
          id: z
            .string()
            .max(40)
            .openapi({ param: { name: 'id', in: 'path' } }),
        }),
      },
      responses: { 200: jsonResponse(AddressSchema, 'The address'), ...problemResponses(401, 404, 503) },
    }),
    async (c) => {
      const address = await adapters.addresses.get(c.req.valid('param').id);
      if (!address) throw problems.notFound(`Address ${c.req.valid('param').id}`);
      return c.json(address, 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/products',
      summary: 'The product catalogue of the price list (X-6)',
      responses: { 200: jsonResponse(z.object({ items: z.array(ProductSchema) }), 'Products'), ...problemResponses(401, 503) },
    }),
    async (c) => c.json({ items: await adapters.prices.products() }, 200),
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/availability',
      summary: 'Availability check in Kapaks (O-10): by phone number, circuit number or address',
      request: {
        query: z
          .object({
            productCode: z.string().min(1).max(40),
            phoneNumber: z
              .string()
              .regex(/^\d{8}$/, '8 digits')
              .optional(),
            circuitNumber: z.string().max(40).optional(),
            addressId: z.string().max(40).optional(),
          })
          .refine((q) => [q.phoneNumber, q.circuitNumber, q.addressId].filter(Boolean).length === 1, {
            message: 'give exactly one of phoneNumber, circuitNumber, addressId',
            path: ['phoneNumber'],
          }),
      },
      responses: { 200: jsonResponse(z.object({ items: z.array(AvailabilitySchema) }), 'Lines with green / yellow / red'), ...problemResponses(400, 401, 422, 503) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const user = c.get('user');
      await throttlePerUser(deps.sql, user, { bucket: 'availability', limit: AVAILABILITY_LIMIT, label: 'availability checks', rule: 'O-10' }, (k, v) => c.header(k, v));
      const by = q.phoneNumber ? { phoneNumber: q.phoneNumber } : q.circuitNumber ? { circuitNumber: q.circuitNumber } : { addressId: q.addressId! };
      const number = q.phoneNumber ?? q.circuitNumber;
      if (number) await refuseAnotherProvidersLine(deps.sql, number, isExternal(actorOf(user)) ? user.companyId : null);
      const lines = await adapters.kapaks.check({ ...by, productCode: q.productCode });
      c.set('audit', { action: 'reference.availability', companyId: user.companyId, auditRead: true, detail: { ...by, productCode: q.productCode, results: lines.length } });
      // by address, the building's lines are told apart by line id and flat, never by the numbers of
      // other operators' end users (the caller already knows a number it asked by)
      return c.json({ items: withoutOthersNumbers(lines, by) }, 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/appointment-slots',
      summary: 'Free technician slots at an address (O-12)',
      request: { query: z.object({ addressId: z.string().max(40), from: IsoDate, to: IsoDate }) },
      responses: { 200: jsonResponse(z.object({ items: z.array(SlotSchema) }), 'Free slots'), ...problemResponses(400, 401, 422, 503) },
    }),
    async (c) => c.json({ items: await adapters.appointments.slots(c.req.valid('query')) }, 200),
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/statuses',
      summary: 'Every status and letter with its display label and explanation, in bokmål and English (G-3, O-14, O-15, Q-10, S-7)',
      request: { query: z.object({ scope: z.enum(STATUS_SCOPES).optional().openapi({ description: 'Only this vocabulary' }) }) },
      responses: { 200: jsonResponse(z.object({ items: z.array(StatusTextSchema) }), 'The status texts'), ...problemResponses(400, 401) },
    }),
    (c) => {
      const { scope } = c.req.valid('query');
      const scopes = scope ? [scope] : STATUS_SCOPES;
      c.header('Cache-Control', 'private, max-age=3600');
      return c.json({ items: scopes.flatMap((s) => STATUS_TEXTS[s].map((t) => ({ scope: s, ...t }))) }, 200);
    },
  );

  return router;
}
