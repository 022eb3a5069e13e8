// What every request handler can reach: dependencies, the logged-in user, the audit note.
import type { Client } from '@temporalio/client';
import type { Adapters } from '../adapters';
import type { Sql } from '../db/client';
import type { Actor, AccessType, Role, Training } from '../domain/identity';
import type { RULE_DURATIONS } from '../domain/durations';
import type { RuleDuration } from '../domain/time';
import type { ScryptParams } from './passwords';
import type { WebhookPolicy } from '../notifications/address-policy';

export type RuleTimings = Record<keyof typeof RULE_DURATIONS, RuleDuration>;

export interface AppConfig {
  namespace: string;
  taskQueue: string;
  /** A-5 idle logout. */
  sessionIdleMs: number;
  /** Rule waiting times handed to workflows (domain/durations.ts in production). */
  timings: RuleTimings;
  /** How long one request may wait on Temporal in all (default DEFAULT_REQUEST_DEADLINE_MS). */
  requestDeadlineMs?: number;
  /** Socket peers whose X-Forwarded-For is believed (TRUSTED_PROXIES: addresses, CIDR blocks); unset → none. */
  trustedProxies?: string | readonly string[];
  /** scrypt parameters of new password hashes; unset → SCRYPT_PARAMS (only tests pass cheaper ones). */
  passwordHashing?: ScryptParams;
  /** Which webhook URLs may be registered (default: https to public addresses only). */
  webhookPolicy?: WebhookPolicy;
  /** Key of the case-number permutation (domain/case.ts caseNumber); unset → the development default. */
  caseNumberKey?: string;
  /** The history length at which an order workflow continues as new (default DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS; tests force it low). */
  orderHistoryLimit?: number;
  /** The history length at which a quote workflow continues as new (default DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS; tests force it low). */
  quoteHistoryLimit?: number;
  /** Where links in e-mails the API queues point (PUBLIC_BASE_URL; unset → http://127.0.0.1:3000). */
  publicBaseUrl?: string;
}

export interface AppDeps {
  sql: Sql;
  temporal: Client;
  adapters: Adapters;
  config: AppConfig;
}

export interface AuthUser {
  id: string;
  username: string;
  fullName: string;
  email: string;
  role: Role;
  accessType: AccessType | null;
  /** the trainings the user has had (ordering, full, fault module) */
  training: Training[];
  companyId: string | null;
  department: string | null;
  locale: 'nb' | 'en';
}

/** Set by a handler so the audit middleware knows which case a request concerned. */
export interface AuditNote {
  caseId?: string;
  companyId?: string | null;
  action?: string;
  detail?: Record<string, unknown>;
  /** A read that leaves an audit row too (I-3: a look-up of another operator's lines). */
  auditRead?: boolean;
}

export type AppEnv = {
  Variables: { user: AuthUser; actor: Actor; requestId: string; audit: AuditNote };
};

export function actorOf(user: AuthUser): Actor {
  return { username: user.username, role: user.role, companyId: user.companyId, accessType: user.accessType };
}
