// Long-lived cases (a quote's lines wait 90 days for their price to expire; a 50-line project order
// goes through reopen cycles) continue as new before their history grows large: the server suggests
// it (continueAsNewSuggested), or the history passes the case type's own threshold (tests pass a low one).
import { allHandlersFinished, condition, workflowInfo } from '@temporalio/workflow';

/** Events after which a case continues as new even if the server has not suggested it yet. */
export const DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS = 2000;

export function shouldContinueAsNew(afterEvents = DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= afterEvents;
}

/** In-flight Updates and signals finish first: their callers get their answers from this run. */
export async function readyToContinueAsNew(): Promise<void> {
  await condition(allHandlersFinished);
}
