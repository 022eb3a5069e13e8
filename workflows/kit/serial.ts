// Update handlers of one case run one at a time, each judged again on the state it is about to
// change. A validator runs when the Update arrives, before any earlier Update's awaits have finished:
// two identical cancels both pass it. Under this lock the second one is judged after the first has
// recorded its change, and is refused (the API answers 409) — one winner, as a serial order gives.
import type { UpdateDefinition } from '@temporalio/common';
import { setHandler } from '@temporalio/workflow';

export type Lock = <T>(run: () => Promise<T>) => Promise<T>;

/** One lock per workflow execution (call once at the top of the workflow function). */
export function caseLock(): Lock {
  let tail: Promise<void> = Promise.resolve();
  return async <T>(run: () => Promise<T>): Promise<T> => {
    const before = tail;
    let release!: () => void;
    tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await before;
    try {
      return await run();
    } finally {
      release();
    }
  };
}

/**
 * An Update whose validator runs on arrival (a refusal leaves no history event) and again under the
 * case's lock, right before the handler changes anything (a refusal then fails the Update the same way).
 */
export function setSerialUpdate<R, A extends unknown[]>(lock: Lock, def: UpdateDefinition<R, A>, validate: (...args: A) => void, handle: (...args: A) => Promise<R>): void {
  setHandler(
    def,
    (...args: A) =>
      lock(async () => {
        validate(...args);
        return handle(...args);
      }),
    { validator: validate },
  );
}
