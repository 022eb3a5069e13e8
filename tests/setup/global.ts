// Once per test run: a real Temporal dev server (in memory), the workflow bundle, and a
// migrated and seeded template database that each test file copies.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { connect } from '../../db/client';
import { migrate } from '../../db/migrate';
import { seed } from '../../db/seed';
import { freePort, PROJECT_ROOT, startTemporalDevServer } from '../../scripts/temporal';
import { bundleWorkflows } from '../../worker';
import { ADMIN_DATABASE_URL, databaseUrl, TEST_PASSWORD, TEST_PASSWORD_HASHING } from '../support/env';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
    templateDatabase: string;
  }
}

export default async function setup(project: TestProject) {
  const started = Date.now();
  const [server, bundle] = await Promise.all([startTemporalDevServer({ persist: false, headless: true, port: await freePort(), log: () => {} }), bundleWorkflows()]);
  const bundleDir = join(PROJECT_ROOT, '.data', 'test');
  mkdirSync(bundleDir, { recursive: true });
  const workflowBundlePath = join(bundleDir, `workflow-bundle-${process.pid}.js`);
  writeFileSync(workflowBundlePath, bundle.code);

  const templateDatabase = `samband_template_${process.pid}`;
  const admin = connect(ADMIN_DATABASE_URL, { max: 1 });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${templateDatabase}`);
  await admin.unsafe(`CREATE DATABASE ${templateDatabase}`);
  const template = connect(databaseUrl(templateDatabase), { max: 1 });
  await migrate(template);
  await seed(template, TEST_PASSWORD, { hashing: TEST_PASSWORD_HASHING });
  await template.end();

  project.provide('temporalAddress', server.address);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('templateDatabase', templateDatabase);
  console.log(`test stack ready in ${Date.now() - started} ms: Temporal ${server.address}, template ${templateDatabase}`);

  return async () => {
    await server.stop();
    rmSync(workflowBundlePath, { force: true });
    // databases copied by test files are dropped by the files themselves; this one is ours
    await admin.unsafe(`DROP DATABASE IF EXISTS ${templateDatabase} WITH (FORCE)`);
    await admin.end();
  };
}
