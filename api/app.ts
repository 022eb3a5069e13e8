// The HTTP API: routers under /v1, the OpenAPI document, docs, health, and the one error handler.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import type { MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { AdapterRejectedError, AdapterTimeoutError, AdapterUnavailableError } from '../adapters/faults';
import { auditTrail } from './audit';
import { deadlineProblem, DEFAULT_REQUEST_DEADLINE_MS, temporalDeadline } from './kit/run-action';
import { authRoutes } from './auth';
import type { AppDeps, AppEnv } from './context';
import { jsonResponse } from './openapi';
import { type FieldProblem, HttpProblem, problems, renderProblem } from './problem';
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
import { terminationRoutes } from './routes/terminations';
import { handlerPortfolioRoutes } from './routes/handler-portfolio';
import { handlerUserRoutes } from './routes/handler-users';

export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', requestId({ limitLength: 0 }), secureHeaders()); // limitLength 0: never the client's X-Request-Id, always a server-made id (A-4 audit)
  app.use('/v1/*', auditTrail(deps.sql), refuseNulCharacters, temporalDeadline(deps, deps.config.requestDeadlineMs ?? DEFAULT_REQUEST_DEADLINE_MS));

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
  app.route('/v1/switch-isp', switchIspRoutes(deps));
  app.route('/v1/terminations', terminationRoutes(deps));
  app.route('/v1/handler', handlerPortfolioRoutes(deps));
  app.route('/v1/handler', handlerUserRoutes(deps));
  app.route('/v1', notificationRoutes(deps)); // /v1/contacts, /v1/webhooks, /v1/events

  app.openapi(createRoute({
    method: 'get', path: '/health', tags: ['Operations'], summary: 'Reachability of PostgreSQL and Temporal',
    responses: {
      200: jsonResponse(HealthSchema, 'Everything reachable'),
      503: jsonResponse(HealthSchema, 'Something is unreachable'),
    },
  }), async (c) => {
    const [postgres, temporal] = await Promise.all([
      probe(() => deps.sql`SELECT 1`),
      probe(() => deps.temporal.workflowService.describeNamespace({ namespace: deps.config.namespace })),
    ]);
    const ok = postgres.ok && temporal.ok;
    return c.json({ status: ok ? 'ok' as const : 'degraded' as const, postgres, temporal }, ok ? 200 : 503);
  });

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'Token from POST /v1/auth/login' });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Samband wholesale ordering API',
      version: '1',
      description: 'Quotes, orders and service requests of the wholesaler\'s resellers, each a durable workflow. Errors are RFC 9457 problem+json.',
    },
  });
  app.get('/docs', swaggerUI({ url: '/openapi.json' }));

  app.notFound((c) => renderProblem(c, problems.notFound(`${c.req.method} ${c.req.path}`)));
  app.onError((err, c) => {
    if (err instanceof HttpProblem) return renderProblem(c, err);
    // the wholesaler's systems (X-1…X-6): a time-out or outage is temporary, a rejection is final
    if (err instanceof AdapterTimeoutError) return renderProblem(c, new HttpProblem(503, 'upstream_timeout', 'The wholesaler\'s system did not answer in time', { detail: `${err.message}; try again (O-11)` }));
    if (err instanceof AdapterUnavailableError) return renderProblem(c, new HttpProblem(503, 'upstream_unavailable', 'The wholesaler\'s system is unavailable', { detail: err.message }));
    if (err instanceof AdapterRejectedError) return renderProblem(c, problems.unprocessable('upstream_rejected', err.message));
    const late = deadlineProblem(err, c);
    if (late) return renderProblem(c, late);
    if (isUnavailable(err)) {
      console.warn(`[${c.get('requestId')}] ${c.req.method} ${c.req.path}: backing service unavailable: ${err.name}: ${err.message}`, (err as { cause?: unknown }).cause);
      return renderProblem(c, problems.unavailable('A backing service (database or workflow engine) cannot be reached; try again shortly'));
    }
    console.error(`[${c.get('requestId')}] ${c.req.method} ${c.req.path}`, err);
    return renderProblem(c, new HttpProblem(500, 'internal_error', 'Internal error', { detail: `Reference ${c.get('requestId')} when reporting this` }));
  });
  return app;
}

/**
 * PostgreSQL text cannot hold NUL characters: refuse them at the door, naming where they are,
 * rather than fail deep inside a query.
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
  }
  if (errors.length > 0) throw problems.validation(errors);
  await next();
};

const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  postgres: z.object({ ok: z.boolean(), latencyMs: z.number(), error: z.string().optional() }),
  temporal: z.object({ ok: z.boolean(), latencyMs: z.number(), error: z.string().optional() }),
}).openapi('Health');

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
  if (typeof code === 'string' && (['ECONNREFUSED', 'ECONNRESET', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', '57P01', '57P03'].includes(code))) return true;
  const name = (err as { name?: unknown }).name;
  return name === 'ServiceError' || name === 'ConnectionError' || (err instanceof Error && /UNAVAILABLE|DEADLINE_EXCEEDED/.test(err.message));
}
