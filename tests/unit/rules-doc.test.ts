// Every rule ID cited in the code resolves inside the repository: docs/rules.md defines it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SKIP = new Set(['node_modules', '.data', '.git']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('docs/rules.md', () => {
  const defined = new Set([...readFileSync(join(ROOT, 'docs', 'rules.md'), 'utf8').matchAll(/^- \*\*([AGQOITCSMX]-\d{1,2})\*\*/gm)].map((m) => m[1]!));
  const cited = new Map<string, string>();
  for (const file of sources(ROOT)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\b[AGQOITCSMX]-\d{1,2}\b/g)) if (!cited.has(m[0])) cited.set(m[0], relative(ROOT, file));
  }

  it('defines every rule ID the code cites', () => {
    expect(cited.size).toBeGreaterThan(50);
    const missing = [...cited].filter(([id]) => !defined.has(id)).map(([id, file]) => `${id} (cited in ${file})`);
    expect(missing).toEqual([]);
  });
});
