// A case's first read-model row and its workflow start are written in one transaction; the start is
// sent after the commit. A crash between the commit and the start leaves the start in workflow_starts,
// and the sweeper sends it: the case converges. A second start of the same case is harmless.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sendStart, sendStalledStarts } from '../../api/kit/workflow-starts';
import { upsertCase } from '../../db/cases';
import { caseId, caseNumber } from '../../domain/case';
import type { SrStartInput } from '../../workflows/service-request/messages';
import { newServiceRequest, toProjection } from '../../workflows/service-request/projection';
import { srAction } from '../support/service-requests';
import { eventually, type Stack, startStack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.stop());

it('a start left behind by a crash after the commit is sent by the sweeper; the case then works, and a repeated start changes nothing', async () => {
  const tokens = { customer: await stack.login('ola.nordnett'), handler: await stack.login('hanne.handler') };
  const number = caseNumber('service_request', 990_000_000 + Math.floor(Math.random() * 9_000_000));
  const input: SrStartInput = {
    caseId: caseId('service_request', number),
    number,
    companyId: 'nordnett',
    actor: { username: 'ola.nordnett', role: 'reseller', companyId: 'nordnett', accessType: 'ordering' },
    area: 'Other',
    subArea: 'Other',
    department: 'customer-service',
    reference: { kind: 'other', value: `crash-${number}` },
    description: 'Written, committed, then the API process died',
    attachments: [],
    createdAt: new Date().toISOString(),
    timing: { autoCloseAfter: stack.config.timings.serviceRequestAutoClose },
  };
  const projection = toProjection(newServiceRequest(input));
  // what registerCase's transaction leaves when the process dies right after the commit
  await stack.sql.begin(async (tx) => {
    await upsertCase(tx, projection);
    await tx`INSERT INTO workflow_starts (case_id, workflow_type, task_queue, args, search, created_at)
             VALUES (${input.caseId}, 'serviceRequestWorkflow', ${stack.config.taskQueue}, ${tx.json([input] as never)},
                     ${tx.json({ caseType: 'service_request', companyId: 'nordnett', number, status: 'New' })}, now() - interval '1 minute')`;
  });
  // the stack's sweeper sends it within a few seconds
  await eventually(async () => (await stack.sql`SELECT 1 FROM workflow_starts WHERE case_id = ${input.caseId}`).length === 0, 15_000, 'the sweeper to send the start');
  expect((await stack.client.workflow.getHandle(input.caseId).describe()).status.name).toBe('RUNNING');
  expect((await srAction(stack, tokens, number, 'submit')).status).toBe(200);
  // sending the same start again (a second sweeper, a late retry) neither fails nor starts a second run
  const before = (await stack.client.workflow.getHandle(input.caseId).describe()).runId;
  await sendStart(stack.sql, stack.client, {
    caseId: input.caseId,
    workflowType: 'serviceRequestWorkflow',
    taskQueue: stack.config.taskQueue,
    args: [input],
    search: { caseType: 'service_request', companyId: 'nordnett', number, status: 'New' },
  });
  expect((await stack.client.workflow.getHandle(input.caseId).describe()).runId).toBe(before);
  expect(await sendStalledStarts(stack.sql, stack.client, 0)).toBe(0);
  const read = await stack.api('GET', `/v1/service-requests/${number}`, { token: tokens.customer });
  expect(read.body.status).toBe('Submitted');
});
