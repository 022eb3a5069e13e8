// Configuration from the environment, with embedded defaults so `npm start` needs nothing set.
import { z } from 'zod';
import { DEFAULT_SEED_PASSWORD } from './db/seed';
import { DEV_CASE_NUMBER_KEY } from './domain/case';
import { RULE_DURATIONS, SESSION_IDLE_TIMEOUT_MS } from './domain/durations';
import type { RuleTimings } from './api/context';
import { loadDevConfig } from './scripts/temporal';

const Env = z.object({
  /** PostgreSQL; unset → embedded PGlite under .data/pglite */
  DATABASE_URL: z.string().url().optional(),
  /** A running Temporal server; unset → `npm start` starts the dev server of temporal-dev.yml */
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().optional(),
  TEMPORAL_TASK_QUEUE: z.string().optional(),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Port of the embedded PostgreSQL (PGlite socket) when DATABASE_URL is unset */
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(5499),
  /** Where e-mail goes; unset → the development inbox `npm start` runs (SMTP on DEV_INBOX_SMTP_PORT) */
  SMTP_URL: z.string().optional(),
  DEV_INBOX_SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(1025),
  DEV_INBOX_HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(1080),
  MAIL_FROM: z.string().default('Samband <no-reply@samband.example>'),
  /** Base of the links in e-mails; default the API's own address */
  PUBLIC_BASE_URL: z.string().url().optional(),
  /** Workflows the worker keeps in its cache (others are replayed from history when touched); unset → 500 */
  WORKER_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
  /** Password of every seed user (development default documented in README) */
  SEED_PASSWORD: z.string().min(8).default(DEFAULT_SEED_PASSWORD),
  /** Key that makes case numbers non-sequential (README); never change it once cases exist */
  CASE_NUMBER_KEY: z.string().min(16).default(DEV_CASE_NUMBER_KEY),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = Env.parse(env);
  const dev = loadDevConfig();
  return {
    ...parsed,
    namespace: parsed.TEMPORAL_NAMESPACE ?? dev.server.namespace,
    taskQueue: parsed.TEMPORAL_TASK_QUEUE ?? dev.taskQueue,
    sessionIdleMs: SESSION_IDLE_TIMEOUT_MS,
    timings: { ...RULE_DURATIONS } as RuleTimings,
    caseNumberKey: parsed.CASE_NUMBER_KEY,
  };
}
