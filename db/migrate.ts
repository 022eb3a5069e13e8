// Forward-only numbered SQL migrations (postgres-shift style), each in its own transaction.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sql } from './client';

const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');

export async function migrate(sql: Sql): Promise<string[]> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`;
  const applied = new Set((await sql<{ version: string }[]>`SELECT version FROM schema_migrations`).map((r) => r.version));
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{3}_.+\.sql$/.test(f)).sort();
  const ran: string[] = [];
  for (const file of files) {
    if (applied.has(file)) continue;
    const text = await readFile(join(MIGRATIONS_DIR, file), 'utf8');
    await sql.begin(async (tx) => {
      await tx.unsafe(text).simple();
      await tx`INSERT INTO schema_migrations (version) VALUES (${file})`;
    });
    ran.push(file);
  }
  return ran;
}
