// The one way the product talks to PostgreSQL (porsager's `postgres`).
import postgres from 'postgres';

export type Sql = postgres.Sql;
/** A pool or a transaction: what read-model helpers run on. */
export type Queryable = postgres.Sql | postgres.TransactionSql;

export function connect(url: string, options: { max?: number } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: 'samband' },
  });
}
