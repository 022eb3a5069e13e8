// The one way the product talks to PostgreSQL (porsager's `postgres`).
import postgres from 'postgres';

export type Sql = postgres.Sql;
/** A pool or a transaction: what read-model helpers run on. */
export type Queryable = postgres.Sql | postgres.TransactionSql;

/**
 * Who uses a pool. The API, the worker's activities and the e-mail/webhook dispatcher each get their
 * own, so one of them exhausting its connections (or a stuck query) cannot starve the others, and
 * pg_stat_activity tells them apart by application_name. `maintenance` runs migrations and the seed.
 */
export type PoolRole = 'api' | 'worker' | 'dispatcher' | 'maintenance';

/** Server-side limits of every role's session (ms): the one place their defaults live. */
export const POOL_TIMEOUTS = {
  /** a query running longer is cancelled (a runaway query must not hold a connection and its locks) */
  statementTimeoutMs: 15_000,
  /** a session idle inside a transaction this long is ended, releasing its locks */
  idleInTransactionTimeoutMs: 30_000,
};

const ROLES: Record<PoolRole, { max: number; applicationName: string; statementTimeout: boolean }> = {
  api: { max: 10, applicationName: 'samband-api', statementTimeout: true },
  worker: { max: 10, applicationName: 'samband-worker', statementTimeout: true },
  dispatcher: { max: 2, applicationName: 'samband-dispatcher', statementTimeout: true },
  // a migration may legitimately run long (an index over a large table)
  maintenance: { max: 1, applicationName: 'samband-maintenance', statementTimeout: false },
};

export interface ConnectOptions {
  role?: PoolRole;
  max?: number;
  statementTimeoutMs?: number;
  idleInTransactionTimeoutMs?: number;
}

/** Without a role: a plain pool (tests' and tools' admin connections), no session limits. */
export function connect(url: string, options: ConnectOptions = {}): Sql {
  const role = options.role ? ROLES[options.role] : undefined;
  const limits = role
    ? {
        // startup parameters: set for the session before its first query, also after a reconnect
        statement_timeout: role.statementTimeout ? (options.statementTimeoutMs ?? POOL_TIMEOUTS.statementTimeoutMs) : 0,
        idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? POOL_TIMEOUTS.idleInTransactionTimeoutMs,
      }
    : {};
  return postgres(url, {
    max: options.max ?? role?.max ?? 10,
    onnotice: () => {},
    // jit off: JIT compiling pays off for long analytical queries; for the short read-model queries
    // here it only adds its compile time (270 ms on the inbox's capped counts at 1M cases)
    connection: { application_name: role?.applicationName ?? 'samband', jit: 'off', ...limits },
  });
}
