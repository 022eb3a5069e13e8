// Q-12: Order Line Item / Order All Line Items. The route loads the quote (tenancy first), answers a
// repeated Idempotency-Key, refuses what the quote's read model already refuses, reserves the order
// numbers (a sequence, no transaction) and starts the order-from-quote saga (workflows/order/from-quote.ts),
// waiting for its answer under the request's deadline. The quote's reservation decides between
// concurrent requests: exactly one gets the line, the others answer 409.
import { createHash, randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import type { CaseRow } from '../../db/cases';
import { caseId, caseNumber } from '../../domain/case';
import type { OrderDraft } from '../../domain/order-validation';
import { osloDate } from '../../domain/time';
import type { OrderView } from '../../workflows/order/messages';
import { type OrderFromQuoteInput, type OrderFromQuoteResult, orderFromQuoteWorkflowId } from '../../workflows/order/from-quote';
import type { QuoteLine, QuoteView } from '../../workflows/quote/messages';
import { assertCanOrder } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { checkKeyFormat, claimKey, IdempotencyKeyHeader } from '../idempotency';
import { loadCase } from '../kit/load-case';
import { actionNotAllowed, problemOfRefusal } from '../kit/run-action';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { problems } from '../problem';
import { emptyLine, OrderSchema, orderTiming, presentOrder } from './order-support';

type Presented = ReturnType<typeof presentOrder>;

export function registerOrderFromQuoteRoute(router: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  router.openapi(
    createRoute({
      security: [{ bearer: [] }],
      tags: ['Orders'],
      method: 'post',
      path: '/from-quote',
      summary:
        'Order Line Item (one Completed quote line) or Order All Line Items (every Completed line of a Completed quote, in one order; lines of different products or speeds in one order each) (Q-12)',
      request: {
        headers: IdempotencyKeyHeader,
        body: jsonBody(
          z.strictObject({
            quoteNumber: z.string().regex(/^Q-\d{6,}$/, 'a quote number like Q-000042'),
            lineNo: z.number().int().min(1).optional().openapi({ description: 'Order Line Item; leave out for Order All Line Items' }),
          }),
        ),
      },
      responses: { 201: jsonResponse(z.object({ orders: z.array(OrderSchema) }), 'The new orders (New), to complete and submit'), ...problemResponses(400, 401, 403, 404, 409, 422, 503) },
    }),
    async (c) => {
      const user = c.get('user');
      const actor = c.get('actor');
      assertCanOrder(user);
      const { quoteNumber, lineNo } = c.req.valid('json');
      const quoteRow = await loadCase(deps.sql, user, quoteNumber, 'quote');
      const quote = quoteRow.detail as QuoteView;
      c.set('audit', { caseId: quoteRow.case_id, companyId: quoteRow.company_id, action: lineNo ? 'order.fromQuoteLine' : 'order.fromQuote' });

      // Idempotency-Key: the first answer is replayed; a request still under way is joined (same saga ID)
      const key = c.req.header('idempotency-key');
      let requestId: string = randomUUID();
      if (key !== undefined) {
        checkKeyFormat(key);
        const { earlier } = await claimKey(deps.sql, user.id, key, ['POST /v1/orders/from-quote', quoteNumber, lineNo ?? null]);
        if (earlier && earlier.response !== null) {
          c.header('Idempotency-Replayed', 'true');
          return c.json(earlier.response as { orders: Presented[] }, 201);
        }
        requestId = `k${createHash('sha256').update(`${user.id}\n${key}`).digest('hex').slice(0, 24)}`;
      }
      const forget = async () => {
        if (key !== undefined) await deps.sql`DELETE FROM idempotency_keys WHERE user_id = ${user.id} AND key = ${key} AND response IS NULL`;
      };

      try {
        // Q-12 on the read model (the quote's own validator decides again, under races)
        const refuse = (status: string, message: string) => actionNotAllowed({ status, action: lineNo ? 'orderLineItem' : 'orderAllLineItems', rule: 'Q-12', allowedActions: [], message });
        const today = osloDate(new Date());
        const orderable = (l: QuoteLine) => l.status === 'Completed' && l.orderedAs === null && (l.priceValidUntil === null || l.priceValidUntil >= today);
        let lines: QuoteLine[];
        if (lineNo !== undefined) {
          const l = quote.lines.find((x) => x.lineNo === lineNo);
          if (!l) throw problems.notFound(`Line ${lineNo} of ${quoteNumber}`);
          if (!orderable(l)) {
            throw refuse(
              l.status,
              l.orderedAs
                ? `line ${lineNo} was already ordered as ${l.orderedAs}`
                : l.status !== 'Completed'
                  ? `line ${lineNo} is ${l.status}: only a Completed line may be ordered`
                  : `the price of line ${lineNo} expired on ${l.priceValidUntil}`,
            );
          }
          lines = [l];
        } else {
          if (quote.status !== 'Completed') throw refuse(quote.status, `${quoteNumber} is ${quote.status}: Order All Line Items needs the quote Completed`);
          lines = quote.lines.filter(orderable);
          if (lines.length === 0) throw refuse(quote.status, `${quoteNumber} has no Completed line left to order`);
        }

        // Q-12: Order All Line Items makes ONE order of the Completed lines (slide 41: "trekkes forespørselen(e)
        // over i Orders-modulen, slik at du får fylt ut en fullstendig bestilling"). An order is one product
        // and speed (O-9: a Project order is the same product to many users), so lines of different products
        // or speeds go into one order each. The order number is reserved from the sequence, outside any
        // transaction (a refused saga leaves a gap).
        const groups = new Map<string, QuoteLine[]>();
        for (const ql of lines) {
          const key = `${ql.productCode}|${ql.speedMbps ?? '-'}`;
          groups.set(key, [...(groups.get(key) ?? []), ql]);
        }
        const sagaLines: OrderFromQuoteInput['lines'] = [];
        for (const group of groups.values()) {
          const [seq] = await deps.sql<{ n: string }[]>`SELECT nextval('order_number_seq') AS n`;
          const orderNumber = caseNumber('order', Number(seq!.n), deps.config.caseNumberKey);
          const first = group[0]!;
          // O-5 / Q-12: "Datoen må være … i henhold til tilbakemeldt pristilbud" (slide 51): the answer's date
          // where it has one (the latest, when the lines' answers differ: every line can be delivered then)
          const answered = group.map((ql) => ql.answeredDate ?? null).filter((d): d is string => d !== null);
          const draft: OrderDraft = {
            kind: 'new',
            orderType: group.length > 1 ? 'Project' : 'Standard',
            productCode: first.productCode,
            speedMbps: first.speedMbps,
            equipment: null,
            requestedDate: answered.length > 0 ? answered.sort().at(-1)! : null,
            contact: {},
            references: {},
            lines: group.map((ql, i) =>
              emptyLine(
                i + 1,
                {
                  address: ql.addressA ? { addressId: ql.addressA.id, label: ql.addressA.label } : null,
                  addressB: ql.addressB ? { addressId: ql.addressB.id, label: ql.addressB.label } : null,
                  attachments: ql.attachments,
                },
                { quoteLine: { quoteNumber, quoteCaseId: quote.caseId, lineNo: ql.lineNo, answeredDate: ql.answeredDate ?? null }, price: ql.price },
              ),
            ),
          };
          group.forEach((ql, i) => sagaLines.push({ lineNo: ql.lineNo, orderNumber, orderCaseId: caseId('order', orderNumber), ...(i === 0 ? { draft } : {}) }));
        }
        const input: OrderFromQuoteInput = {
          quoteCaseId: quote.caseId,
          quoteNumber,
          companyId: user.companyId!,
          actor,
          createdAt: new Date().toISOString(),
          timing: orderTiming(deps),
          lines: sagaLines,
        };
        const workflowId = orderFromQuoteWorkflowId(quoteNumber, lineNo, requestId);
        let result: OrderFromQuoteResult;
        try {
          const handle = await deps.temporal.workflow.start('orderFromQuoteWorkflow', {
            workflowId,
            taskQueue: deps.config.taskQueue,
            args: [input],
            // a repeat of a request under way joins it; one that has ended is answered from its result
            workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
            workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          });
          result = (await handle.result()) as OrderFromQuoteResult;
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          result = (await deps.temporal.workflow.getHandle(workflowId).result()) as OrderFromQuoteResult;
        }
        if (!result.ok) throw problemOfRefusal({ kind: 'not_allowed', ...result.refusal, action: lineNo ? 'orderLineItem' : 'orderAllLineItems', rule: 'Q-12' });

        // the saga wrote each order's row before it answered: read them
        const orderIds = [...new Set(result.orders.map((o) => o.caseId))];
        const rows = await deps.sql<CaseRow[]>`SELECT * FROM cases WHERE case_id = ANY(${orderIds})`;
        const byId = new Map(rows.map((r) => [r.case_id, r]));
        const body = { orders: orderIds.map((id) => presentOrder(byId.get(id)!.detail as OrderView, [], actor)) };
        if (key !== undefined) await deps.sql`UPDATE idempotency_keys SET status_code = 201, response = ${deps.sql.json(body as never)} WHERE user_id = ${user.id} AND key = ${key}`;
        c.set('audit', { ...c.get('audit'), detail: { orders: [...new Set(result.orders.map((o) => o.number))] } });
        return c.json(body, 201);
      } catch (err) {
        await forget();
        throw err;
      }
    },
  );
}
