// Drives service requests through the API into a wanted status, for the SR tests.
import { randomInt } from 'node:crypto';
import type { Stack } from './stack';

export interface Tokens {
  customer: string;
  handler: string;
}

let counter = 0;
/** A reference no other SR of the run uses, so S-2 never blocks a test by accident. */
export function uniqueReference(): { kind: 'other'; value: string } {
  return { kind: 'other', value: `REF-${process.pid}-${++counter}-${randomInt(1e6)}` };
}

export async function createSr(stack: Stack, token: string, body: Record<string, unknown> = {}) {
  const res = await stack.api('POST', '/v1/service-requests', {
    token,
    json: { area: 'Other', subArea: 'Other', reference: uniqueReference(), description: 'Please check the delivery of this line', ...body },
  });
  if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { number: string; caseId: string; status: string };
}

const PATHS: Record<string, (n: string) => string> = {
  submit: (n) => `/v1/service-requests/${n}/submit`,
  update: (n) => `/v1/service-requests/${n}/update`,
  close: (n) => `/v1/service-requests/${n}/close`,
  cancel: (n) => `/v1/service-requests/${n}/cancel`,
  take: (n) => `/v1/handler/service-requests/${n}/take`,
  requestInfo: (n) => `/v1/handler/service-requests/${n}/request-info`,
  complete: (n) => `/v1/handler/service-requests/${n}/complete`,
  cancelByOperator: (n) => `/v1/handler/service-requests/${n}/cancel`,
};

const BODIES: Record<string, unknown> = {
  update: { description: 'Updated: the line is at the back entrance' },
  requestInfo: { text: 'Which entrance is the line at?' },
  complete: { text: 'The delivery is planned for next Tuesday' },
  cancelByOperator: { text: 'Duplicate of an earlier request' },
};

export const HANDLER_ACTIONS = new Set(['take', 'requestInfo', 'complete', 'cancelByOperator']);

export function srAction(stack: Stack, tokens: Tokens, number: string, action: string, body?: unknown) {
  const token = HANDLER_ACTIONS.has(action) ? tokens.handler : tokens.customer;
  const json = body ?? BODIES[action];
  return stack.api('POST', PATHS[action]!(number), { token, ...(json !== undefined ? { json } : {}) });
}

/** S-7: the shortest path from New to each status. */
export const PATH_TO_STATUS: Record<string, string[]> = {
  New: [],
  Submitted: ['submit'],
  'In Process': ['submit', 'take'],
  Incomplete: ['submit', 'take', 'requestInfo'],
  Completed: ['submit', 'take', 'complete'],
  Closed: ['close'],
  Cancelled: ['cancel'],
};

export async function srInStatus(stack: Stack, tokens: Tokens, status: string, body: Record<string, unknown> = {}) {
  const sr = await createSr(stack, tokens.customer, body);
  for (const action of PATH_TO_STATUS[status]!) {
    const res = await srAction(stack, tokens, sr.number, action);
    if (res.status !== 200) throw new Error(`${action} on ${sr.number}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return sr;
}

/**
 * The length of a workflow's history once it has settled (no activity or workflow task in
 * flight), so a comparison before and after a refused action is not disturbed by the
 * workflow's own background work.
 */
export async function historyLength(stack: Stack, caseId: string): Promise<number> {
  const handle = stack.client.workflow.getHandle(caseId);
  let previous = -1;
  for (let attempt = 0; attempt < 100; attempt++) {
    const [history, description] = await Promise.all([handle.fetchHistory(), handle.describe()]);
    const length = history.events?.length ?? 0;
    const idle = (description.raw.pendingActivities?.length ?? 0) === 0 && !description.raw.pendingWorkflowTask;
    if (idle && length === previous) return length;
    previous = idle ? length : -1;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`history of ${caseId} did not settle`);
}
