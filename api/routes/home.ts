// Home (M-4): what a signed-in reseller user lands on — operational messages in force (known faults
// and planned work, "Driftsmeldinger"), the newest training material and release notes
// ("Opplæring"), and what needs the user's action in the company's cases. Handlers publish, change
// and withdraw messages and notes (audited, A-4). Ops get none of it (A-6: it lists case data).
// Operational messages are operational-messages.ts, release notes and training release-notes.ts.
import { createRoute, z } from '@hono/zod-openapi';
import type { Queryable } from '../../db/client';
import { messagesInForce } from '../../db/operational-messages';
import { AUTO_CANCEL_WARNING } from '../../domain/durations';
import { deadlineAfter } from '../../domain/time';
import { requireAuth } from '../auth';
import type { AppDeps } from '../context';
import { tenantOf } from '../kit/load-case';
import { jsonResponse, problemResponses } from '../openapi';
import { createRouter } from '../router';
import { OperationalMessage, presentMessage } from './operational-messages';
import { newestNotes, presentNote, ReleaseNote } from './release-notes';

// ---- what needs my action ---------------------------------------------------------------------

const ActionItem = z
  .object({
    caseType: z.string().openapi({ description: 'order_line, quote, service_request, order, trouble_ticket' }),
    number: z.string().openapi({ description: 'The case (an order line: ORD-…:n; a quote line: the quote)' }),
    lineNo: z.number().int().nullable().openapi({ description: 'A quote line: its number in the quote; else null' }),
    status: z.string().openapi({ description: 'The status that asks for the action (a quote line: its own status)' }),
    title: z.string().openapi({ description: "The case's title" }),
    updatedAt: z.string().openapi({ format: 'date-time', description: 'Last change of the case' }),
    dueAt: z.string().nullable().openapi({ format: 'date-time', description: 'A draft: when the 14-day auto-cancel takes it (O-20); else null' }),
  })
  .openapi('HomeActionItem');
type ActionItem = z.infer<typeof ActionItem>;

const Actions = z
  .object({
    incompleteOrderLines: z.array(ActionItem).openapi({ description: 'Order lines in Incomplete: the wholesaler waits for the user (O-17)' }),
    incompleteQuoteLines: z.array(ActionItem).openapi({ description: 'Quote lines in Incomplete' }),
    incompleteServiceRequests: z.array(ActionItem).openapi({ description: 'Service requests in Incomplete' }),
    completedQuotes: z.array(ActionItem).openapi({ description: 'Quotes with Completed lines not yet ordered: ready to order (Q-12)' }),
    completedServiceRequests: z.array(ActionItem).openapi({ description: 'Completed service requests to close (S-9 closes them after 14 days otherwise)' }),
    expiringDrafts: z.array(ActionItem).openapi({ description: 'Order drafts the 14-day auto-cancel (O-20) takes within 3 days' }),
    ticketsWaitingForCustomer: z.array(ActionItem).openapi({ description: 'Trouble tickets in Incomplete: waiting for the customer (M-2)' }),
  })
  .openapi('HomeActions');
type Actions = z.infer<typeof Actions>;

const ACTION_LIMIT = 50;

interface CaseListRow {
  case_type: string;
  number: string;
  status: string;
  title: string;
  updated_at: Date;
}

const item = (r: CaseListRow, extra: Partial<ActionItem> = {}): ActionItem => ({
  caseType: r.case_type,
  number: r.number,
  lineNo: null,
  status: r.status,
  title: r.title,
  updatedAt: r.updated_at.toISOString(),
  dueAt: null,
  ...extra,
});

/** M-4.1: the company's cases that wait for the user, from the read model. */
async function actionsFor(sql: Queryable, companyId: string, now: Date): Promise<Actions> {
  const byStatus = (caseType: string, status: string) => sql<CaseListRow[]>`
    SELECT case_type, number, status, title, updated_at FROM cases
    WHERE company_id = ${companyId} AND case_type = ${caseType} AND status = ${status}
    ORDER BY updated_at DESC LIMIT ${ACTION_LIMIT}`;
  const warnUntil = deadlineAfter(now, AUTO_CANCEL_WARNING);
  const [orderLines, srIncomplete, srCompleted, tickets, quoteLines, quotesReady, drafts] = await Promise.all([
    byStatus('order_line', 'Incomplete'),
    byStatus('service_request', 'Incomplete'),
    byStatus('service_request', 'Completed'),
    // M-2 tickets are the trouble-ticket workflow's read-model rows: waiting for the customer = Incomplete
    byStatus('trouble_ticket', 'Incomplete'),
    sql<(CaseListRow & { line_no: number; line_status: string })[]>`
      SELECT c.case_type, c.number, c.status, c.title, c.updated_at, (l ->> 'lineNo')::int AS line_no, l ->> 'status' AS line_status
      FROM cases c CROSS JOIN LATERAL jsonb_array_elements(c.detail -> 'lines') AS l
      WHERE c.company_id = ${companyId} AND c.case_type = 'quote' AND l ->> 'status' = 'Incomplete'
      ORDER BY c.updated_at DESC LIMIT ${ACTION_LIMIT}`,
    sql<CaseListRow[]>`
      SELECT case_type, number, status, title, updated_at FROM cases c
      WHERE company_id = ${companyId} AND case_type = 'quote'
        AND EXISTS (SELECT 1 FROM jsonb_array_elements(c.detail -> 'lines') AS l WHERE l ->> 'status' = 'Completed' AND coalesce(l -> 'orderedAs', 'null'::jsonb) = 'null'::jsonb)
      ORDER BY updated_at DESC LIMIT ${ACTION_LIMIT}`,
    sql<(CaseListRow & { auto_cancel_at: string })[]>`
      SELECT case_type, number, status, title, updated_at, detail ->> 'autoCancelAt' AS auto_cancel_at FROM cases
      WHERE company_id = ${companyId} AND case_type = 'order' AND status = 'New' AND detail ->> 'autoCancelAt' IS NOT NULL
        AND (detail ->> 'autoCancelAt')::timestamptz > ${now} AND (detail ->> 'autoCancelAt')::timestamptz <= ${warnUntil}
      ORDER BY (detail ->> 'autoCancelAt')::timestamptz LIMIT ${ACTION_LIMIT}`,
  ]);
  return {
    incompleteOrderLines: orderLines.map((r) => item(r)),
    incompleteQuoteLines: quoteLines.map((r) => item(r, { lineNo: r.line_no, status: r.line_status })),
    incompleteServiceRequests: srIncomplete.map((r) => item(r)),
    completedQuotes: quotesReady.map((r) => item(r)),
    completedServiceRequests: srCompleted.map((r) => item(r)),
    expiringDrafts: drafts.map((r) => item(r, { dueAt: new Date(r.auto_cancel_at).toISOString() })),
    ticketsWaitingForCustomer: tickets.map((r) => item(r)),
  };
}

const HomeSchema = z
  .object({
    user: z
      .object({
        username: z.string().openapi({ description: 'The signed-in user' }),
        fullName: z.string().openapi({ description: 'For the welcome greeting' }),
        companyId: z.string().nullable().openapi({ description: "The user's company; null for the wholesaler's staff" }),
        role: z.string().openapi({ description: 'reseller, superuser or handler' }),
        accessType: z.string().nullable().openapi({ description: 'A-3: read, ordering or full; null for handlers' }),
        training: z.array(z.string()).openapi({ description: 'A-3: the trainings the user has had' }),
      })
      .openapi({ description: 'Who is signed in (the welcome)' }),
    operationalMessages: z.array(OperationalMessage).openapi({ description: 'Messages in force now: known faults and planned work, with their windows and the products and areas they cover (M-4.1)' }),
    releaseNotes: z.array(ReleaseNote).openapi({ description: 'The newest release notes (at most 5), newest first' }),
    training: z.array(ReleaseNote).openapi({ description: 'The newest training material (at most 5), newest first' }),
    actions: Actions.openapi({ description: "What needs the user's action in the company's cases (M-4.1); a handler's work is in the handler queues, so empty lists" }),
  })
  .openapi('Home');

const emptyActions = (): Actions => ({
  incompleteOrderLines: [],
  incompleteQuoteLines: [],
  incompleteServiceRequests: [],
  completedQuotes: [],
  completedServiceRequests: [],
  expiringDrafts: [],
  ticketsWaitingForCustomer: [],
});

const HOME_NOTES = 5;

export function homeRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('/home', requireAuth(deps));
  const secured = { security: [{ bearer: [] }], tags: ['Home'] };

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/home',
      summary: "The signed-in user's Home (M-4.1): operational messages in force, newest training and release notes, what needs my action",
      responses: { 200: jsonResponse(HomeSchema, 'Home'), ...problemResponses(401, 403) },
    }),
    async (c) => {
      const user = c.get('user');
      const tenant = tenantOf(user); // ops 403
      const now = new Date();
      const [messages, releaseNotes, training, actions] = await Promise.all([
        messagesInForce(deps.sql, { at: now }),
        newestNotes(deps.sql, 'release_note', HOME_NOTES, now),
        newestNotes(deps.sql, 'training', HOME_NOTES, now),
        tenant === null ? Promise.resolve(emptyActions()) : actionsFor(deps.sql, tenant, now),
      ]);
      return c.json(
        {
          user: { username: user.username, fullName: user.fullName, companyId: user.companyId, role: user.role, accessType: user.accessType, training: user.training },
          operationalMessages: messages.map((m) => presentMessage(m, now)),
          releaseNotes: releaseNotes.map(presentNote),
          training: training.map(presentNote),
          actions,
        },
        200,
      );
    },
  );

  return router;
}
