// `npm run web:build`: bundles the browser app (web/src, TypeScript) with esbuild into web/dist, which
// the API serves at /app/. `npm start` and the browser tests call buildWeb() first, so the bundle is
// never older than the code (web/dist is not checked in).
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { WEB_DIST } from '../api/web';
import { PROJECT_ROOT } from './temporal';

const WEB = join(PROJECT_ROOT, 'web');

export async function buildWeb(): Promise<{ ms: number }> {
  const started = performance.now();
  await mkdir(WEB_DIST, { recursive: true });
  await build({
    entryPoints: { app: join(WEB, 'src', 'main.ts') },
    bundle: true,
    format: 'esm',
    target: ['chrome120', 'firefox120', 'safari17'],
    minify: true,
    sourcemap: false,
    outdir: WEB_DIST,
    tsconfig: join(WEB, 'tsconfig.json'),
    logLevel: 'warning',
  });
  await copyFile(join(WEB, 'index.html'), join(WEB_DIST, 'index.html'));
  return { ms: Math.round(performance.now() - started) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { ms } = await buildWeb();
  console.log(`web app built into web/dist in ${ms} ms`);
}
