// What `npm start` does to its database before anything uses it: migrations always, demo data only
// when asked. db/seed.ts is demonstration data only (companies, users with SEED_PASSWORD — handlers
// and ops too —, contacts, a portfolio from the simulators' lines); the product needs no reference
// rows beyond the migrations (catalogue and price list live in adapters/).
import { connect } from './client';
import { migrate } from './migrate';
import { DEFAULT_SEED_PASSWORD, seed } from './seed';

export interface PrepareOptions {
  /** config.seedDemoData: SEED_DEMO_DATA, or by default on only with the embedded database */
  seedDemoData: boolean;
  /** SEED_DEMO_DATA as set (undefined: the default chose) */
  seedDemoDataSet: boolean | undefined;
  seedPassword: string;
  /** the database is the embedded one of `npm start` (not DATABASE_URL) */
  embedded: boolean;
  log?: (message: string) => void;
}

export async function prepareDatabase(url: string, options: PrepareOptions): Promise<{ migrations: string[]; seeded: boolean }> {
  const log = options.log ?? console.log;
  const sql = connect(url, { role: 'maintenance' });
  try {
    const migrations = await migrate(sql);
    if (migrations.length) log(`migrations applied: ${migrations.join(', ')}`);
    if (!options.seedDemoData) {
      const why = options.seedDemoDataSet === false ? 'SEED_DEMO_DATA=false' : 'DATABASE_URL is set; SEED_DEMO_DATA=true adds them';
      log(`seed: no demo data and no demo users (${why})`);
      return { migrations, seeded: false };
    }
    await seed(sql, options.seedPassword);
    const why = options.seedDemoDataSet === undefined ? 'the embedded database' : 'SEED_DEMO_DATA=true';
    log(`seed: demo companies, users (password from SEED_PASSWORD) and portfolio present (${why})`);
    if (!options.embedded && options.seedPassword === DEFAULT_SEED_PASSWORD) {
      log('seed: WARNING: the demo users on DATABASE_URL have the default password (set SEED_PASSWORD)');
    }
    return { migrations, seeded: true };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
