// Workflow code runs in Temporal's deterministic sandbox: it may import activities and adapters
// only as types, and no Node built-ins (stack notes: bundling).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('workflow sandbox imports', () => {
  const sources = [...files(join(ROOT, 'workflows')), ...files(join(ROOT, 'domain'))];
  it.each(sources.map((f) => relative(ROOT, f)))('%s imports only deterministic code', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const imports = [...text.matchAll(/^import\s+(type\s+)?[^'"]*from\s+'([^']+)'/gm)].map((m) => ({ typeOnly: Boolean(m[1]), from: m[2]! }));
    for (const { typeOnly, from } of imports) {
      expect(from, `${file} imports a Node built-in`).not.toMatch(/^node:|^(fs|path|crypto|child_process|net|http)$/);
      if (/\/(activities|adapters|api|db)(\/|$)/.test(from)) expect(typeOnly, `${file} imports ${from} at run time`).toBe(true);
    }
  });
});
