// The API's Temporal client. Its one interceptor sends an Update again when the server aborted it
// because the workflow task carrying it failed — typically "UnhandledCommand": the workflow tried to
// complete while an activity result arrived. Such an Update was never applied (nothing of that task
// was recorded), so sending it again is safe: the workflow's validator judges it on the state now.
import { Client, type Connection, ServiceError, type WorkflowClientInterceptor } from '@temporalio/client';

const FAILED_PRECONDITION = 9;
const ATTEMPTS = 3;

/** The server's FAILED_PRECONDITION answer to an Update, its message matching `text`. */
function failedPrecondition(err: unknown, text: RegExp): boolean {
  const cause = err instanceof ServiceError ? (err.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  return cause?.code === FAILED_PRECONDITION && typeof cause.message === 'string' && text.test(cause.message);
}

export function isUpdateAbortedByTaskFailure(err: unknown): boolean {
  return failedPrecondition(err, /workflow task failure/i);
}

/**
 * The server takes no Update while the case's workflow task is failing or timed out (a worker died
 * mid-task, and the task waits for another): nothing was applied, the action may be sent again.
 */
export function isUpdateRefusedWhileTaskFails(err: unknown): boolean {
  return failedPrecondition(err, /workflow task in failed state/i);
}

const resendAbortedUpdates: WorkflowClientInterceptor = {
  async startUpdate(input, next) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await next(input);
      } catch (err) {
        if (attempt >= ATTEMPTS || !isUpdateAbortedByTaskFailure(err)) throw err;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  },
};

export function createTemporalClient(connection: Connection, namespace: string): Client {
  return new Client({ connection, namespace, interceptors: { workflow: [resendAbortedUpdates] } });
}
