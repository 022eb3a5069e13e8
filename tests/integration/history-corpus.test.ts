// Cases outlive code: an SR waits 14 days (S-9), an order draft 14 (O-20), a switch 16–21 (I-5), a
// price 90 days, so a deploy meets open cases started by the previous code. Every recorded history of
// tests/histories/ (npm run histories:record) is replayed against the current workflow bundle: a change
// to the command sequence of an existing workflow type that is not behind `patched()` fails here, naming
// the file (README: "Changing workflow code").
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { PROJECT_ROOT } from '../../scripts/temporal';
import { historyFromJSON, type History } from '../support/history-json';

const CORPUS = join(PROJECT_ROOT, 'tests', 'histories');
const Manifest = z.object({
  histories: z.array(z.object({ file: z.string(), workflowId: z.string(), workflowType: z.string(), open: z.boolean(), description: z.string() })),
});
const manifest = Manifest.parse(JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')));
const files = readdirSync(CORPUS, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join(CORPUS, d.name))
      .filter((f) => f.endsWith('.json'))
      .map((f) => `${d.name}/${f}`),
  )
  .sort();

/** The workflow types the worker runs (workflows/index.ts), less the benchmark's no-op. */
const workflowTypes = [...readFileSync(join(PROJECT_ROOT, 'workflows', 'index.ts'), 'utf8').matchAll(/^export \{ (\w+) \}/gm)].map((m) => m[1]!).filter((name) => name !== 'noopWorkflow');

function load(file: string): { history: History; workflowId: string } {
  const history = historyFromJSON(JSON.parse(readFileSync(join(CORPUS, file), 'utf8')));
  const entry = manifest.histories.find((h) => h.file === file);
  return { history, workflowId: entry?.workflowId ?? `corpus:${file}` };
}

/** Workflow types that never wait on a person or a timer (the Q-12 saga, the M-3.1 invoice runs): a completed history represents them. */
const NEVER_WAITS = new Set(['orderFromQuoteWorkflow', 'invoiceRunWorkflow', 'invoiceMonthWorkflow']);

describe('recorded histories replay with the current workflow code', () => {
  it('the corpus covers every workflow type with an open case, and the manifest lists exactly its files', () => {
    expect(workflowTypes.length).toBeGreaterThanOrEqual(6);
    for (const type of workflowTypes) {
      expect(
        manifest.histories.filter((h) => h.workflowType === type && (h.open || NEVER_WAITS.has(type))),
        `an open ${type} history in tests/histories`,
      ).not.toEqual([]);
    }
    expect(manifest.histories.map((h) => h.file).sort()).toEqual(files);
  });

  it('each file is the history of the workflow type its folder names', () => {
    for (const file of files) {
      const started = load(file).history.events?.[0]?.workflowExecutionStartedEventAttributes;
      expect(started?.workflowType?.name, file).toBe(file.split('/')[0]);
    }
  });

  it(`every recorded history (${files.length}) replays without nondeterminism`, async () => {
    const failures: string[] = [];
    const histories = files.map((file) => ({ file, ...load(file) }));
    const byId = new Map(histories.map((h) => [h.workflowId, h.file]));
    for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: inject('workflowBundlePath') } }, histories)) {
      if (result.error) failures.push(`tests/histories/${byId.get(result.workflowId)}: ${result.error.name}: ${/message: "([^"]+)"/.exec(result.error.message)?.[1] ?? result.error.message}`);
    }
    expect(failures, `histories that do not replay with the current code (see README "Changing workflow code"):\n${failures.join('\n')}`).toEqual([]);
  }, 120_000);
});
