// A real browser for the web app's tests: Debian's chromium driven by playwright-core (no browser
// download), headless with a fresh profile, and the app served over a real HTTP socket.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { buildWeb } from '../../scripts/web-build';
import { PROJECT_ROOT } from '../../scripts/temporal';
import { TEST_PASSWORD } from './env';
import { type Stack, type StackOptions, startStack } from './stack';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots of the main screens, kept as test artefacts (git-ignored with .data/). */
export const SCREENSHOTS = join(PROJECT_ROOT, '.data', 'test', 'screenshots');

/** As root, and with no way out to the network: no sandbox, no GPU, none of Chromium's background connections. */
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Browser {
  baseUrl: string;
  context: BrowserContext;
  newPage(): Promise<Page>;
  /** A new page logged in as `username` (the test password), on the Home page; `start` is where it opens the app. */
  logIn(username: string, start?: string): Promise<Page>;
  screenshot(page: Page, name: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startBrowser(stack: Stack): Promise<Browser> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: (request) => stack.fetch(request), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const profile = mkdtempSync(join(tmpdir(), 'samband-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 800 },
    locale: 'nb-NO',
    timezoneId: 'Europe/Oslo',
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const browser: Browser = {
    baseUrl,
    context,
    async newPage() {
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return page;
    },
    async logIn(username, start = '/app/') {
      const page = await browser.newPage();
      await page.goto(`${baseUrl}${start}`);
      await page.getByLabel('Brukernavn').fill(username);
      await page.getByLabel('Passord').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Logg inn' }).click();
      await page.getByRole('heading', { level: 1, name: /^Velkommen/ }).waitFor();
      return page;
    },
    async screenshot(page, name) {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    async stop() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
  return browser;
}

/**
 * A browser test file's setup: the app bundled from its source (never checked in), the real stack and
 * chromium started before its tests and stopped after them; `ready` receives both.
 */
export function useBrowserStack(ready: (stack: Stack, browser: Browser) => void, options: StackOptions = {}): void {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    await buildWeb();
    stack = await startStack(options);
    browser = await startBrowser(stack);
    ready(stack, browser);
  });
  afterAll(async () => {
    await browser?.stop();
    await stack?.stop();
  });
}
