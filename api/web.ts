// The browser app (web/, issue 17) as static files: built by `npm run web:build` (scripts/web-build.ts)
// into web/dist, served at /app/ by the API process. The app is a client of the public API only.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Context } from 'hono';
import type { AppEnv } from './context';
import { problems, renderProblem } from './problem';

export const WEB_DIST = join(import.meta.dirname, '..', 'web', 'dist');

/** The only files served: nothing else of the folder (or the disk) can be named by a request. */
const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

export async function serveWebApp(c: Context<AppEnv>) {
  const name = c.req.path.replace(/^\/app\/?/, '') || 'index.html';
  const type = FILES[name];
  if (!type) return renderProblem(c, problems.notFound(`GET ${c.req.path}`));
  try {
    const body = await readFile(join(WEB_DIST, name));
    // rebuilt at every start: never let a browser keep an older bundle
    return c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'no-cache' });
  } catch {
    return renderProblem(c, problems.unavailable('The browser app is not built: run npm run web:build (npm start builds it)'));
  }
}
