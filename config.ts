// Configuration from the environment, with embedded defaults so `npm start` needs nothing set.
import { z } from 'zod';
import { parseTrustedProxies } from './api/client-address';
import { POOL_TIMEOUTS } from './db/client';
import { DEFAULT_SEED_PASSWORD } from './db/seed';
import { DEV_CASE_NUMBER_KEY } from './domain/case';
import { RULE_DURATIONS, SESSION_IDLE_TIMEOUT_MS } from './domain/durations';
import type { RuleTimings } from './api/context';
import { loadDevConfig } from './scripts/temporal';

const Env = z.object({
  /** PostgreSQL; unset → `npm start` runs an embedded PostgreSQL server with its data in .data/postgres */
  DATABASE_URL: z.string().url().optional(),
  /** A running Temporal server; unset → `npm start` starts the dev server of temporal-dev.yml */
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().optional(),
  TEMPORAL_TASK_QUEUE: z.string().optional(),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Port of the embedded PostgreSQL server when DATABASE_URL is unset */
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(5499),
  /** Session limits of every pool (API, worker, dispatcher), ms; defaults in db/client.ts */
  PG_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(POOL_TIMEOUTS.statementTimeoutMs),
  PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(0).default(POOL_TIMEOUTS.idleInTransactionTimeoutMs),
  /**
   * Demo companies, users (handlers and ops too, all with SEED_PASSWORD) and portfolio; unset → on
   * only with the embedded database, off with DATABASE_URL (a real deployment gets no default-password users)
   */
  SEED_DEMO_DATA: z.stringbool().optional(),
  /** Where e-mail goes; unset → the development inbox `npm start` runs (SMTP on DEV_INBOX_SMTP_PORT) */
  SMTP_URL: z.string().optional(),
  DEV_INBOX_SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(1025),
  DEV_INBOX_HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(1080),
  MAIL_FROM: z.string().default('Samband <no-reply@samband.example>'),
  /** Base of the links in e-mails; default the API's own address */
  PUBLIC_BASE_URL: z.string().url().optional(),
  /**
   * Links in e-mails open the case in a frontend (issue 15): a URL template with {type} (orders,
   * quotes, service-requests, switch-isp, terminations), {number}, {caseType} and {lineNo}; unset →
   * PUBLIC_BASE_URL + /app/#/{type}/{number}
   */
  FRONTEND_CASE_URL_TEMPLATE: z
    .string()
    .url()
    .refine((s) => s.includes('{number}'), 'a URL template with {number}, e.g. https://portal.example/{type}/{number}')
    .optional(),
  /** Workflows the worker keeps in its cache (others are replayed from history when touched); unset → 500 */
  WORKER_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
  /** Password of every seed user (development default documented in README) */
  SEED_PASSWORD: z.string().min(8).default(DEFAULT_SEED_PASSWORD),
  /** Proxies whose X-Forwarded-For names the client (login throttling): addresses or CIDR blocks, comma-separated; unset → none */
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .refine((s) => {
      try {
        return Boolean(parseTrustedProxies(s));
      } catch {
        return false;
      }
    }, 'addresses or CIDR blocks, comma-separated'),
  /** Plain-http webhook URLs (development only); unset → https only */
  WEBHOOKS_ALLOW_HTTP: z.stringbool().default(false),
  /** Key that makes case numbers non-sequential (README); never change it once cases exist */
  CASE_NUMBER_KEY: z.string().min(16).default(DEV_CASE_NUMBER_KEY),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = Env.parse(env);
  const dev = loadDevConfig();
  return {
    ...parsed,
    seedDemoData: parsed.SEED_DEMO_DATA ?? !parsed.DATABASE_URL,
    namespace: parsed.TEMPORAL_NAMESPACE ?? dev.server.namespace,
    taskQueue: parsed.TEMPORAL_TASK_QUEUE ?? dev.taskQueue,
    sessionIdleMs: SESSION_IDLE_TIMEOUT_MS,
    trustedProxies: parsed.TRUSTED_PROXIES,
    timings: { ...RULE_DURATIONS } as RuleTimings,
    caseNumberKey: parsed.CASE_NUMBER_KEY,
  };
}
