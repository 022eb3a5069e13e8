// Demo data (users with the default password, handlers and ops too) only where asked: by default
// with `npm start`'s embedded database, never on a DATABASE_URL unless SEED_DEMO_DATA=true.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { connect } from '../../db/client';
import { SEED_USERS } from '../../db/seed';
import { prepareDatabase } from '../../db/setup';
import { ADMIN_DATABASE_URL, databaseUrl } from '../support/env';

const name = `samband_seed_${randomBytes(5).toString('hex')}`;
const url = databaseUrl(name);
beforeAll(async () => {
  const admin = connect(ADMIN_DATABASE_URL, { max: 1 });
  await admin.unsafe(`CREATE DATABASE ${name}`); // empty: not the seeded template
  await admin.end();
});
afterAll(async () => {
  const admin = connect(ADMIN_DATABASE_URL, { max: 1 });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

const prepare = async (env: Record<string, string>, embedded: boolean) => {
  const config = loadConfig(env);
  const log: string[] = [];
  const result = await prepareDatabase(url, {
    seedDemoData: config.seedDemoData,
    seedDemoDataSet: config.SEED_DEMO_DATA,
    seedPassword: config.SEED_PASSWORD,
    embedded,
    log: (m) => log.push(m),
  });
  return { ...result, log };
};
const count = async (table: 'users' | 'companies' | 'portfolio_products') => {
  const sql = connect(url, { max: 1 });
  const [row] = await sql.unsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`);
  await sql.end();
  return row!.n;
};

describe('demo data only in development (SEED_DEMO_DATA)', () => {
  it('defaults: on with the embedded database, off with DATABASE_URL; the flag decides when set', () => {
    expect(loadConfig({}).seedDemoData).toBe(true);
    expect(loadConfig({ DATABASE_URL: url }).seedDemoData).toBe(false);
    expect(loadConfig({ DATABASE_URL: url, SEED_DEMO_DATA: 'true' }).seedDemoData).toBe(true);
    expect(loadConfig({ SEED_DEMO_DATA: 'false' }).seedDemoData).toBe(false);
    expect(() => loadConfig({ SEED_DEMO_DATA: 'maybe' })).toThrow();
  });

  it('on DATABASE_URL the schema is migrated but no demo user, company or portfolio is created', async () => {
    const first = await prepare({ DATABASE_URL: url }, false);
    expect(first.migrations).toContain('001_backbone.sql');
    expect(first.seeded).toBe(false);
    expect(first.log.join('\n')).toMatch(/no demo data and no demo users \(DATABASE_URL is set/);
    expect(await count('users')).toBe(0);
    expect(await count('companies')).toBe(0);
    expect(await count('portfolio_products')).toBe(0);
  });

  it('SEED_DEMO_DATA=true opts in, and warns about the default password', async () => {
    const opted = await prepare({ DATABASE_URL: url, SEED_DEMO_DATA: 'true' }, false);
    expect(opted).toMatchObject({ migrations: [], seeded: true });
    expect(opted.log.join('\n')).toMatch(/SEED_DEMO_DATA=true[\s\S]*WARNING: the demo users on DATABASE_URL have the default password/);
    expect(await count('users')).toBe(SEED_USERS.length);
    expect(await count('portfolio_products')).toBeGreaterThan(0);
  });
});
