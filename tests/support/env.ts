// Where the tests find PostgreSQL: TEST_DATABASE_URL (an admin connection), default the local server.
export const ADMIN_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_PASSWORD = 'test-password-1';

export function databaseUrl(database: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}
/** Cheap scrypt for test users (seed and the stack's app); production uses api/passwords.ts SCRYPT_PARAMS. */
export const TEST_PASSWORD_HASHING = { N: 2 ** 10, r: 8, p: 1 };
