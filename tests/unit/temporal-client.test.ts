import { ServiceError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { isUpdateAbortedByTaskFailure, isUpdateRefusedWhileTaskFails } from '../../api/temporal-client';

const grpcError = (code: number, message: string) => Object.assign(new Error(`${code} ${message}`), { code });

describe('the API client sends an Update again only when the server aborted it unapplied', () => {
  it('an Update aborted because its workflow task failed (FAILED_PRECONDITION) is sent again', () => {
    const aborted = new ServiceError('Workflow Update failed', { cause: grpcError(9, 'Unable to perform workflow execution update due to unexpected workflow task failure.') });
    expect(isUpdateAbortedByTaskFailure(aborted)).toBe(true);
  });
  it('other failures are not: another precondition, an outage, a refusal from the validator', () => {
    expect(isUpdateAbortedByTaskFailure(new ServiceError('Workflow Update failed', { cause: grpcError(9, 'Workflow execution already completed.') }))).toBe(false);
    expect(isUpdateAbortedByTaskFailure(new ServiceError('Workflow Update failed', { cause: grpcError(14, 'unavailable: workflow task failure') }))).toBe(false);
    expect(isUpdateAbortedByTaskFailure(new Error('workflow task failure'))).toBe(false);
  });
  it('an Update refused while the workflow task waits for another worker (a worker died mid-task) is answered 503 with Retry-After, not sent again at once', () => {
    const refused = new ServiceError('Workflow Update failed', { cause: grpcError(9, 'Unable to perform workflow execution update due to Workflow Task in failed state.') });
    expect(isUpdateRefusedWhileTaskFails(refused)).toBe(true);
    expect(isUpdateAbortedByTaskFailure(refused)).toBe(false);
    expect(isUpdateRefusedWhileTaskFails(new ServiceError('Workflow Update failed', { cause: grpcError(9, 'Workflow execution already completed.') }))).toBe(false);
    expect(isUpdateRefusedWhileTaskFails(new ServiceError('Workflow Update failed', { cause: grpcError(14, 'Workflow Task in failed state') }))).toBe(false);
  });
});
