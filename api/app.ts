// The HTTP API: routers under /v1, the OpenAPI document, docs, health, and the one error handler.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { AdapterRejectedError, AdapterTimeoutError, AdapterUnavailableError } from '../adapters/faults';
import { UPLOAD_BODY_LIMIT_BYTES } from './attachments';
import { serveWebApp } from './web'; // the browser app (issue 17)
import { auditTrail } from './audit';
import { deadlineProblem, DEFAULT_REQUEST_DEADLINE_MS, temporalDeadline } from './kit/run-action';
import { authRoutes } from './auth';
import type { AppDeps, AppEnv } from './context';
import { jsonResponse, problemResponses } from './openapi';
import { databaseProblem, type FieldProblem, HttpProblem, problems, renderProblem } from './problem';
import { attachmentRoutes } from './routes/attachments';
import { caseRoutes } from './routes/cases';
import { handlerRoutes } from './routes/handler';
import { handlerQuoteRoutes } from './routes/handler-quotes';
import { handlerOrderRoutes } from './routes/handler-orders';
import { orderRoutes } from './routes/orders';
import { quoteRoutes } from './routes/quotes';
import { notificationRoutes } from './routes/notifications';
import { referenceRoutes } from './routes/reference';
import { serviceRequestRoutes } from './routes/service-requests';
import { portfolioRoutes } from './routes/portfolio';
import { portfolioModifyRoutes } from './routes/portfolio-modify';
import { switchIspRoutes } from './routes/switch-isp';
import { switchIspLookupRoutes } from './routes/switch-isp-lookup';
import { terminationRoutes } from './routes/terminations';
import { handlerPortfolioRoutes } from './routes/handler-portfolio';
import { troubleTicketRoutes } from './routes/trouble-tickets';
import { handlerTroubleTicketRoutes } from './routes/handler-trouble-tickets';
import { companyUserRoutes, handlerUserRoutes } from './routes/handler-users';
import { caseCommentRoutes } from './routes/case-comments';
import { handlerInboxRoutes } from './routes/handler-inbox';
import { handlerLineToolRoutes } from './routes/handler-line-tools';
import { handlerSrToolRoutes } from './routes/handler-sr-tools';
import { handlerToolRoutes } from './routes/handler-tools';
import { handlerInvoiceRoutes, invoiceRoutes } from './routes/invoices';
import { handlerInvoiceRunRoutes } from './routes/invoice-runs';
import { homeRoutes } from './routes/home';
import { handlerOperationalMessageRoutes, operationalMessageRoutes } from './routes/operational-messages';
import { handlerReleaseNoteRoutes, releaseNoteRoutes } from './routes/release-notes';
import { caseFollowUpRoutes } from './routes/case-follow-up';
import { orderLineRoutes } from './routes/order-lists';

/** Every JSON body but an attachment upload is small; larger ones are refused before they are read (413). */
export const JSON_BODY_LIMIT_BYTES = 256 * 1024;

export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', requestId({ limitLength: 0 }), secureHeaders()); // limitLength 0: never the client's X-Request-Id, always a server-made id (A-4 audit)
  app.use('/v1/*', auditTrail(deps.sql), limitBodies, refuseNulCharacters, temporalDeadline(deps, deps.config.requestDeadlineMs ?? DEFAULT_REQUEST_DEADLINE_MS));

  app.route('/v1/auth', authRoutes(deps));
  app.route('/v1/service-requests', serviceRequestRoutes(deps));
  app.route('/v1/handler', handlerRoutes(deps));
  app.route('/v1/quotes', quoteRoutes(deps));
  app.route('/v1/handler', handlerQuoteRoutes(deps));
  app.route('/v1/orders', orderRoutes(deps));
  app.route('/v1/handler', handlerOrderRoutes(deps));
  app.route('/v1/attachments', attachmentRoutes(deps));
  app.route('/v1/cases', caseRoutes(deps));
  app.route('/v1/reference', referenceRoutes(deps));
  app.route('/v1/portfolio', portfolioRoutes(deps));
  app.route('/v1/portfolio', portfolioModifyRoutes(deps)); // change orders (M-1, O-13)
  app.route('/v1/switch-isp', switchIspLookupRoutes(deps)); // I-3 look-up, audited and rate-limited
  app.route('/v1/switch-isp', switchIspRoutes(deps));
  app.route('/v1/terminations', terminationRoutes(deps));
  app.route('/v1/handler', handlerPortfolioRoutes(deps));
  app.route('/v1/handler', handlerUserRoutes(deps));
  app.route('/v1/trouble-tickets', troubleTicketRoutes(deps)); // M-2
  app.route('/v1/handler', handlerTroubleTicketRoutes(deps));
  app.route('/v1/handler', handlerInboxRoutes(deps)); // the handler's inbox (A-2, S-4)
  app.route('/v1/handler', handlerToolRoutes(deps)); // assignment, notes, attachments, placed-by on any case (A-2, A-4, G-4)
  app.route('/v1/handler', handlerSrToolRoutes(deps)); // an SR re-routed or completed with its user change (S-4, A-3)
  app.route('/v1/handler', handlerLineToolRoutes(deps)); // order lines' dates and duplicates, Project bulk steps (C-5, O-9, O-19)
  app.route('/v1/company', companyUserRoutes(deps)); // the company's users (A-3, S-4)
  app.route('/v1/cases', caseCommentRoutes(deps)); // customer-visible comments (G-3)
  app.route('/v1', notificationRoutes(deps)); // /v1/contacts, /v1/webhooks, /v1/events
  app.route('/v1/invoices', invoiceRoutes(deps)); // M-3
  app.route('/v1/handler', handlerInvoiceRoutes(deps)); // M-3.4: dispute outcomes
  app.route('/v1/handler', handlerInvoiceRunRoutes(deps)); // M-3.1: the monthly import
  app.route('/v1', homeRoutes(deps)); // M-4.1: /v1/home
  app.route('/v1', operationalMessageRoutes(deps)); // M-4.1: /v1/operational-messages in force
  app.route('/v1', releaseNoteRoutes(deps)); // M-4.1: /v1/release-notes shown now
  app.route('/v1/handler', handlerOperationalMessageRoutes(deps)); // M-4.2: publish, change, withdraw
  app.route('/v1/handler', handlerReleaseNoteRoutes(deps)); // M-4.2: publish, change, withdraw
  app.route('/v1/cases', caseFollowUpRoutes(deps)); // issue 15: timeline, attachments of any case (G-4)
  app.route('/v1/order-lines', orderLineRoutes(deps)); // issue 15: the order-line list (O-14, O-15)

  app.openapi(
    createRoute({
      method: 'get',
      path: '/health',
      tags: ['Operations'],
      summary: 'Reachability of PostgreSQL and Temporal',
      responses: {
        200: jsonResponse(HealthSchema, 'Everything reachable'),
        503: jsonResponse(HealthSchema, 'Something is unreachable'),
      },
    }),
    async (c) => {
      const [postgres, temporal] = await Promise.all([probe(() => deps.sql`SELECT 1`), probe(() => deps.temporal.workflowService.describeNamespace({ namespace: deps.config.namespace }))]);
      const ok = postgres.ok && temporal.ok;
      return c.json({ status: ok ? ('ok' as const) : ('degraded' as const), postgres, temporal }, ok ? 200 : 503);
    },
  );

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'Token from POST /v1/auth/login' });
  const docConfig = {
    openapi: '3.1.0',
    info: {
      title: 'Samband wholesale ordering API',
      version: '1',
      description:
        "Quotes, orders and service requests of the wholesaler's resellers, each a durable workflow. Errors are RFC 9457 problem+json. Every POST that creates a case or acts on one honours an Idempotency-Key header: a resend with the same key (after a 503, say) is applied once and answers the outcome.",
    },
  };
  // every operation with a body may also answer 400 (unreadable JSON), 413 (too large) and 415 (not JSON)
  app.get('/openapi.json', (c) => c.json(withBodyProblems(app.getOpenAPI31Document(docConfig))));
  app.get('/docs', swaggerUI({ url: '/openapi.json' }));
  // the browser app (issue 17): static files, a client of the API above
  app.get('/', (c) => c.redirect('/app/'));
  app.get('/app', (c) => c.redirect('/app/'));
  app.get('/app/*', serveWebApp);

  app.notFound((c) => renderProblem(c, problems.notFound(`${c.req.method} ${c.req.path}`)));
  app.onError((err, c) => {
    if (err instanceof HttpProblem) return renderProblem(c, err);
    // Hono's own refusals (body validators: 400 malformed JSON, 415 wrong content type) as problems
    if (err instanceof HTTPException) return renderProblem(c, httpExceptionProblem(err, c.req.header('content-type')));
    // the wholesaler's systems (X-1…X-6): a time-out or outage is temporary, a rejection is final
    if (err instanceof AdapterTimeoutError)
      return renderProblem(c, new HttpProblem(503, 'upstream_timeout', "The wholesaler's system did not answer in time", { detail: `${err.message}; try again (O-11)` }));
    if (err instanceof AdapterUnavailableError) return renderProblem(c, new HttpProblem(503, 'upstream_unavailable', "The wholesaler's system is unavailable", { detail: err.message }));
    if (err instanceof AdapterRejectedError) return renderProblem(c, problems.unprocessable('upstream_rejected', err.message));
    const late = deadlineProblem(err, c);
    if (late) return renderProblem(c, late);
    if (isUnavailable(err)) {
      console.warn(`[${c.get('requestId')}] ${c.req.method} ${c.req.path}: backing service unavailable: ${err.name}: ${err.message}`, (err as { cause?: unknown }).cause);
      return renderProblem(c, problems.unavailable('A backing service (database or workflow engine) cannot be reached; try again shortly'));
    }
    const refused = databaseProblem(err, c.req.method);
    if (refused) {
      // the schemas should have caught it (or, for a time-out, an index): loud enough to add what is missing
      console.warn(`[${c.get('requestId')}] ${c.req.method} ${c.req.path}: database refused the request: ${(err as { code?: string }).code} ${err.message}`);
      if (refused.status === 503) c.header('Retry-After', '5');
      return renderProblem(c, refused);
    }
    console.error(`[${c.get('requestId')}] ${c.req.method} ${c.req.path}`, err);
    return renderProblem(c, new HttpProblem(500, 'internal_error', 'Internal error', { detail: `Reference ${c.get('requestId')} when reporting this` }));
  });
  return app;
}

function httpExceptionProblem(err: HTTPException, contentType: string | undefined): HttpProblem {
  if (err.status === 400) return problems.unreadableBody(err.message || 'The body could not be read');
  if (err.status === 413) return problems.tooLarge(JSON_BODY_LIMIT_BYTES);
  if (err.status === 415) return problems.unsupportedMediaType(contentType);
  return new HttpProblem(err.status, `http_${err.status}`, err.message || 'Refused', {});
}

/**
 * Bodies are limited before anything reads them (the NUL check below, the validators): an
 * upload may carry an attachment (G-4), every other body is small JSON. 413 problem+json.
 */
const jsonLimit = bodyLimit({ maxSize: JSON_BODY_LIMIT_BYTES, onError: (c) => renderProblem(c, problems.tooLarge(JSON_BODY_LIMIT_BYTES)) });
const uploadLimit = bodyLimit({ maxSize: UPLOAD_BODY_LIMIT_BYTES, onError: (c) => renderProblem(c, problems.tooLarge(UPLOAD_BODY_LIMIT_BYTES)) });
const limitBodies: MiddlewareHandler<AppEnv> = (c, next) => (c.req.method === 'POST' && c.req.path.replace(/\/+$/, '') === '/v1/attachments' ? uploadLimit : jsonLimit)(c, next);

/**
 * PostgreSQL text cannot hold NUL characters, nor jsonb an unpaired surrogate: refuse them at the door,
 * naming where they are, rather than fail deep inside a query or a workflow's projection. Runs after
 * limitBodies, so it never reads an oversized body.
 */
const refuseNulCharacters: MiddlewareHandler<AppEnv> = async (c, next) => {
  const errors: FieldProblem[] = [];
  const url = new URL(c.req.url);
  const decoded = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  if (decoded(url.pathname).includes('\0')) errors.push({ field: 'path', code: 'invalid_value', message: 'must not contain NUL characters' });
  for (const [key, value] of url.searchParams) {
    if (key.includes('\0') || value.includes('\0')) errors.push({ field: `query.${key.replace(/\0/g, '')}`, code: 'invalid_value', message: 'must not contain NUL characters' });
  }
  if (c.req.method !== 'GET' && c.req.header('content-type')?.includes('json')) {
    const text = await c.req.text();
    if (text.includes('\0') || /\\u0000/i.test(text)) errors.push({ field: 'body', code: 'invalid_value', message: 'must not contain NUL characters' });
    else for (const field of unpairedSurrogates(text)) errors.push({ field, code: 'invalid_value', message: 'must not contain an unpaired surrogate (a \\ud800–\\udfff escape that is no pair)' });
  }
  if (errors.length > 0) throw problems.validation(errors);
  await next();
};

/** A lone UTF-16 surrogate (\p{Cs} with the u flag matches no half of a pair). */
const UNPAIRED = /\p{Cs}/u;

/**
 * The field paths of strings (or keys) holding an unpaired surrogate, which a `\udXXX` escape can
 * put into a JSON body. PostgreSQL's jsonb refuses them: a workflow whose state held one could never
 * publish it to the read model again (its projection activity retried for ever). Cheap: only a body
 * with such an escape is parsed here; a body that is no JSON is left to the validators.
 */
function unpairedSurrogates(text: string): string[] {
  if (!/\\u[dD][89a-fA-F]/.test(text)) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  const found: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (typeof v === 'string') {
      if (UNPAIRED.test(v)) found.push(path);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}.${i}`));
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (UNPAIRED.test(k)) found.push(path);
        else walk(x, `${path}.${k}`);
      }
    }
  };
  walk(value, 'body');
  return found;
}

type OpenApiDocument = ReturnType<OpenAPIHono['getOpenAPI31Document']>;

function withBodyProblems(doc: OpenApiDocument): OpenApiDocument {
  const bodyProblems = problemResponses(400, 413, 415);
  for (const item of Object.values(doc.paths ?? {})) {
    for (const op of [item?.post, item?.put, item?.patch, item?.delete]) {
      if (op?.requestBody) op.responses = { ...bodyProblems, ...op.responses };
    }
  }
  return doc;
}

const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    postgres: z.object({ ok: z.boolean(), latencyMs: z.number(), error: z.string().optional() }),
    temporal: z.object({ ok: z.boolean(), latencyMs: z.number(), error: z.string().optional() }),
  })
  .openapi('Health');

async function probe(fn: () => Promise<unknown>) {
  const started = performance.now();
  try {
    await Promise.race([fn(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 2 s')), 2000).unref())]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: err instanceof Error ? err.message : String(err) };
  }
}

/** Connection-level failures of PostgreSQL or Temporal answer 503, never 500. */
function isUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', '57P01', '57P03'].includes(code)) return true;
  const name = (err as { name?: unknown }).name;
  return name === 'ServiceError' || name === 'ConnectionError' || (err instanceof Error && /UNAVAILABLE|DEADLINE_EXCEEDED/.test(err.message));
}
