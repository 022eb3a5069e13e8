// The product portfolio through the API (M-1): list and search the company's delivered products,
// open one with the cases that concern it. A reseller sees only its own company's products (A-1);
// other operators' products are reached only through the switch look-up (I-3); handlers see every
// company's (A-2); ops none (A-6: end users' names and birth dates are case data).
import { createRoute, z } from '@hono/zod-openapi';
import { normaliseNumber } from '../../adapters/lines';
import { companyEntriesByNumber, PORTFOLIO_COLUMNS, type PortfolioRow, portfolioWhere, toEntry } from '../../db/portfolio';
import { canOrder } from '../../domain/identity';
import { isSwitchable } from '../../domain/portfolio';
import { PRODUCT_CATALOG } from '../../adapters/price-list';
import { requireAuth } from '../auth';
import { tenantOf } from '../kit/load-case';
import { callerScope, mapPage, pageFields, pageQuery, readPage } from '../kit/page';
import type { AppDeps } from '../context';
import { jsonResponse, problemResponses } from '../openapi';
import { problems } from '../problem';
import { createRouter } from '../router';

const EntrySchema = z
  .object({
    id: z.string(),
    lineId: z.string(),
    number: z.string().openapi({ example: '22604411' }),
    numberKind: z.enum(['phone', 'circuit']),
    productCode: z.string(),
    productName: z.string(),
    accessType: z.enum(['shared', 'full']).nullable(),
    speedMbps: z.number().nullable(),
    equipment: z.string().nullable().openapi({ description: 'O-6: equipment delivered with the product (an equipment change order replaces it)' }),
    address: z.object({ id: z.string(), label: z.string() }),
    endUser: z.object({ kind: z.enum(['person', 'company']), name: z.string(), birthDate: z.string().optional(), orgNumber: z.string().optional() }),
    operator: z.string(),
    companyId: z.string().nullable(),
    startDate: z.string(),
    endDate: z.string().nullable(),
    status: z.enum(['active', 'ended']),
    sourceCaseId: z.string().nullable(),
    endedByCaseId: z.string().nullable(),
  })
  .openapi('PortfolioEntry');

const RelatedCase = z.object({ number: z.string(), caseType: z.string(), status: z.string(), title: z.string(), updatedAt: z.string() }).openapi('PortfolioRelatedCase');

const ProductDetail = z
  .object({
    entry: EntrySchema.openapi({ description: 'The current entry, or the latest one when the product has ended' }),
    history: z.array(EntrySchema).openapi({ description: "The company's earlier entries for the same number" }),
    cases: z.array(RelatedCase).openapi({ description: 'Orders, service requests, switches and terminations that concern the number' }),
    actions: z.array(z.enum(['terminate', 'serviceRequest'])).openapi({ description: 'What the user may start from this product' }),
    noticeDays: z.number().int().nullable().openapi({ description: 'T-3: how long the subscription lasts after termination is requested' }),
    switchable: z.boolean().openapi({ description: 'I-1: ADSL or operator access' }),
  })
  .openapi('PortfolioProduct');

export function portfolioRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('*', requireAuth(deps));
  const secured = { security: [{ bearer: [] }], tags: ['Portfolio'] };

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/',
      summary: "List and search the company's products (M-1): number, address, product, end user",
      request: {
        query: z.object({
          q: z.string().trim().min(1).max(100).optional().openapi({ description: 'Text anywhere in number, address, product or end user' }),
          number: z.string().trim().min(1).max(20).optional(),
          productCode: z.string().max(40).optional(),
          addressId: z.string().max(40).optional(),
          endUser: z.string().trim().min(1).max(100).optional(),
          status: z.enum(['active', 'ended', 'all']).default('active'),
          companyId: z.string().optional().openapi({ description: 'Handlers only; resellers always see their own company' }),
          ...pageQuery({ limit: 25 }),
        }),
      },
      responses: {
        200: jsonResponse(z.object({ items: z.array(EntrySchema), ...pageFields }).openapi('PortfolioPage'), 'A page of products'),
        ...problemResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const companyId = tenantOf(c.get('user')) ?? q.companyId;
      const sql = deps.sql;
      // current products first, then by number; an ended number's earlier holders oldest first (index portfolio_page, 022)
      const page = await readPage<PortfolioRow>(sql, {
        select: PORTFOLIO_COLUMNS(sql),
        from: sql`portfolio_products`,
        where: portfolioWhere(sql, { ...q, number: q.number ? normaliseNumber(q.number) : undefined, companyId }),
        keys: [
          { sql: sql`(end_date IS NOT NULL)`, type: 'bool', desc: false },
          { sql: sql`number`, type: 'text', desc: false },
          { sql: sql`start_date`, type: 'date', desc: false },
          { sql: sql`id`, type: 'uuid', desc: false },
        ],
        page: q,
        list: 'portfolio',
        scope: callerScope(deps.config, c.get('user')),
      });
      return c.json(mapPage(page, toEntry), 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/{number}',
      summary: 'One product by phone or circuit number, with the cases that concern it',
      request: {
        params: z.object({
          number: z
            .string()
            .min(1)
            .max(20)
            .openapi({ param: { name: 'number', in: 'path' }, example: '22604411' }),
        }),
      },
      responses: { 200: jsonResponse(ProductDetail, 'The product'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const companyId = tenantOf(c.get('user')) ?? undefined;
      const number = normaliseNumber(c.req.valid('param').number);
      // A-1: another company's (or another operator's) product is not found
      const rows = await companyEntriesByNumber(deps.sql, companyId, number);
      const [first, ...rest] = rows;
      if (!first) throw problems.notFound(`Product ${number}`);
      const entry = toEntry(first);
      const like = '%' + number.toLowerCase() + '%';
      const cases = await deps.sql<{ number: string; case_type: string; status: string; title: string; updated_at: Date }[]>`
      SELECT number, case_type, status, title, updated_at FROM cases
      WHERE ${companyId !== undefined ? deps.sql`company_id = ${companyId}` : deps.sql`company_id = ${entry.companyId ?? ''}`}
        AND (refs ->> 'reference' = ${number} OR search_text LIKE ${like})
      ORDER BY updated_at DESC LIMIT 100`;
      const product = PRODUCT_CATALOG.get(entry.productCode);
      const active = entry.status === 'active';
      return c.json(
        {
          entry,
          history: rest.map(toEntry),
          cases: cases.map((r) => ({ number: r.number, caseType: r.case_type, status: r.status, title: r.title, updatedAt: r.updated_at.toISOString() })),
          actions: active && canOrder(c.get('actor')) ? ['terminate' as const, 'serviceRequest' as const] : [],
          noticeDays: product?.terminationNoticeDays ?? null,
          switchable: product ? isSwitchable(product) : false,
        },
        200,
      );
    },
  );

  return router;
}
