// Determinism check: when a test file's stack stops, every workflow it ran is replayed from its
// history with the product's workflow bundle. Code that takes another path on replay than it took
// live (e.g. two local activities resolving in another order) fails here; in production that case
// would be stuck in a failing workflow task.
import type { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';

export interface ReplayOutcome {
  replayed: number;
  failures: string[];
}

export async function replayTaskQueue(client: Client, taskQueue: string, workflowBundlePath: string): Promise<ReplayOutcome> {
  const histories = client.workflow.list({ query: `TaskQueue = '${taskQueue}'` }).intoHistories({ concurrency: 4 });
  const outcome: ReplayOutcome = { replayed: 0, failures: [] };
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: workflowBundlePath } }, histories)) {
    outcome.replayed++;
    if (result.error) outcome.failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  return outcome;
}
