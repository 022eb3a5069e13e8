import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // threads + Temporal's native bridge crash (sdk-typescript#876): one process per file
    pool: 'forks',
    // zod must be extended with .openapi() before any domain schema is built (tests/setup/zod-openapi.ts)
    setupFiles: ['tests/setup/zod-openapi.ts'],
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
    // expect.poll waits on the real stack (an Update, a projection, a page render): 1 s, the default, is
    // shorter than one loaded-machine round trip; the test's own timeout still bounds it
    expect: { poll: { timeout: 15_000, interval: 100 } },
    projects: [
      // pure rules, templates and simulators: no servers needed
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      // through the API against a real Temporal dev server and PostgreSQL, started once per run
      { extends: true, test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], globalSetup: ['tests/setup/global.ts'] } },
      // `npm run test:resilience`: security matrix, generated bad input, faults (also run by CI)
      { extends: true, test: { name: 'resilience', include: ['tests/resilience/**/*.test.ts'], globalSetup: ['tests/setup/global.ts', 'tests/setup/resilience-summary.ts'], testTimeout: 600_000 } },
    ],
  },
});
