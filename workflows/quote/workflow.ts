// One quote = one workflow (rules Q-1…Q-11). It holds the header and its lines, prices lines on
// Submit (Estimate Price) through activities (Q-5…Q-8), accepts only the line transitions of
// keeps the header on Q-10, publishes every change to the read model before an Update
// returns, and expires Completed lines when their price validity ends.
import { ActivityFailure, allHandlersFinished, ApplicationFailure, condition, continueAsNew, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { PriceLineResult, QuoteActivities } from '../../activities/quotes';
import { type Actor, SYSTEM_ACTOR } from '../../domain/identity';
import {
  allowedLineActions,
  decideMarkOrdered,
  decideQuoteAction,
  decideQuoteLineAction,
  isFinalLine,
  lineProblems,
  MAX_QUOTE_LINES,
  nextLineStatus,
  PRICEABLE_LINE_STATUSES,
  priceValidity,
  type QuoteLineAction,
  type QuoteLineStatus,
} from '../../domain/quote';
import { type FieldProblem, invalidInput, notAllowed, refuseIf } from '../refusals';
import { ackOf } from '../kit/ack';
import { readyToContinueAsNew, shouldContinueAsNew } from '../kit/continue-as-new';
import { caseLock, setSerialUpdate } from '../kit/serial';
import { CASE_STATUS } from '../search-attributes';
import {
  type AddLineInput,
  type CancelQuoteInput,
  type MarkOrderedInput,
  PRICING_UNAVAILABLE,
  QUOTE_LINE_ACTIONS,
  type QuoteActivityEntry,
  type QuoteLine,
  type QuoteLineActionInput,
  type QuoteLineInput,
  type QuoteStartInput,
  quoteUpdates,
  type QuoteView,
  quoteViewQuery,
  type SubmitInput,
} from './messages';
import { newQuote, newQuoteLine, refreshHeader, toProjection } from './projection';
import { projectCase } from '../publish';
import { setAssignmentUpdate } from '../kit/assignment';

// the external systems may be slow or down: a few retries, then the submit is refused
const { priceQuoteLines } = proxyActivities<QuoteActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 ms', maximumInterval: '2 seconds', maximumAttempts: 5, nonRetryableErrorTypes: ['AdapterRejectedError'] },
});

export async function quoteWorkflow(input: QuoteStartInput): Promise<QuoteView> {
  const now = () => new Date().toISOString();
  // a continued run resumes the state of the run before it
  const state: QuoteView = input.resume ?? newQuote(input);
  const lock = caseLock();
  let changes = 0;
  /** while a submit waits for the price list, other actions would race it: they are refused. */
  let pricing = false;

  const log = (actor: Actor, action: string, from: string | null, to: string, lineNo?: number, text?: string) => {
    const entry: QuoteActivityEntry = { at: now(), by: actor.username, action, fromStatus: from, toStatus: to };
    if (lineNo !== undefined) entry.lineNo = lineNo;
    if (text) entry.text = text;
    state.activity.push(entry);
  };

  const setStatus = (line: QuoteLine, to: QuoteLineStatus, actor: Actor, action: string, text?: string) => {
    log(actor, action, line.status, to, line.lineNo, text);
    line.status = to;
    line.updatedAt = now();
  };

  /** every accepted change recomputes the header in one place and bumps the version. */
  const changed = (actor: Actor) => {
    const before = state.status;
    refreshHeader(state);
    if (state.status !== before) upsertSearchAttributes([{ key: CASE_STATUS, value: state.status }]);
    state.updatedAt = now();
    state.updatedBy = actor.username;
    state.version++;
    changes++;
  };

  const publish = async () => {
    await projectCase(toProjection(state));
  };

  const lineOf = (lineNo: number) => state.lines.find((l) => l.lineNo === lineNo);

  const refuseWhilePricing = (action: string) => {
    if (pricing) {
      throw notAllowed({
        status: state.status,
        action,
        allowedActions: [],
        rule: 'Q-8',
        message: `${state.number} is being priced right now; try '${action}' again in a moment`,
      });
    }
  };

  /** The workflow re-checks a line's fields from the snapshots the API resolved (G-1). */
  const checkLine = (line: QuoteLineInput | undefined, prefix = ''): FieldProblem[] => {
    if (!line) return [{ field: `${prefix}line`, rule: 'G-1', message: 'the line is required' }];
    const asFound = (a: QuoteLineInput['addressA']) => (a ? { id: a.id, facts: { id: a.id, postBox: false } } : null);
    return lineProblems({
      productCode: line.productCode,
      product: line.product,
      speedMbps: line.speedMbps,
      addressA: asFound(line.addressA),
      addressB: asFound(line.addressB),
      attachmentFlag: line.attachmentFlag,
      attachmentCount: line.attachments.length,
    }).map((p) => ({ field: `${prefix}${p.field}`, rule: p.rule, message: p.message }));
  };

  // ---- quote-level actions ----

  setSerialUpdate(
    lock,
    quoteUpdates.addLine,
    (cmd: AddLineInput) => {
      refuseWhilePricing('addLine');
      refuseIf(decideQuoteAction(state, 'addLine', cmd.actor));
      const problems = checkLine(cmd.line);
      if (state.lines.length >= MAX_QUOTE_LINES) problems.push({ field: 'line', rule: 'Q-2', message: `a quote holds at most ${MAX_QUOTE_LINES} lines: start another quote` });
      if (problems.length > 0) throw invalidInput(problems);
    },
    async (cmd: AddLineInput) => {
      const line = newQuoteLine(state.nextLineNo++, cmd.line, now());
      state.lines.push(line);
      log(cmd.actor, 'addLine', null, 'New', line.lineNo);
      changed(cmd.actor);
      await publish();
      return ackOf(state);
    },
  );

  setSerialUpdate(
    lock,
    quoteUpdates.submit,
    (cmd: SubmitInput) => {
      refuseWhilePricing('submit');
      refuseIf(decideQuoteAction(state, 'submit', cmd.actor));
      const problems: FieldProblem[] = [];
      cmd.confirmManualPricing.forEach((lineNo, i) => {
        const line = lineOf(lineNo);
        if (!line) problems.push({ field: `confirmManualPricing.${i}`, rule: 'Q-8', message: `there is no line ${lineNo}` });
        else if (line.status !== 'New') problems.push({ field: `confirmManualPricing.${i}`, rule: 'Q-8', message: `line ${lineNo} is ${line.status}, not New` });
      });
      // G-1: every New line is checked again before anything is stored as submitted
      for (const line of state.lines.filter((l) => l.status === 'New')) problems.push(...checkLine(line, `lines.${line.lineNo}.`));
      if (problems.length > 0) throw invalidInput(problems);
    },
    async (cmd: SubmitInput) => {
      const toPrice = state.lines.filter((l) => PRICEABLE_LINE_STATUSES.includes(l.status));
      let results: PriceLineResult[];
      pricing = true;
      try {
        results = await priceQuoteLines(
          toPrice.map((l) => ({
            lineNo: l.lineNo,
            product: l.product,
            speedMbps: l.speedMbps,
            addressA: l.addressA,
            addressB: l.addressB,
            attachmentFlag: l.attachmentFlag,
          })),
        );
      } catch (err) {
        if (err instanceof ActivityFailure) {
          const cause = err.cause instanceof ApplicationFailure ? err.cause : undefined;
          throw ApplicationFailure.create({
            type: PRICING_UNAVAILABLE,
            nonRetryable: true,
            details: [{ upstream: cause?.type ?? null }],
            message: `the price could not be estimated now: ${cause?.message ?? err.message}`,
          });
        }
        throw err;
      } finally {
        pricing = false;
      }
      const confirmed = new Set(cmd.confirmManualPricing);
      for (const r of results) {
        const line = lineOf(r.lineNo);
        if (!line || line.status !== 'New') continue;
        line.addressA = r.addressA;
        line.addressB = r.addressB;
        line.distanceMeters = r.distanceMeters;
        if (r.outcome.kind === 'auto') {
          // priced from the price list: New → Completed at once
          const validity = priceValidity(new Date(), input.timing.priceValidity);
          Object.assign(line, {
            price: r.outcome.price,
            priceSource: 'price-list',
            distanceBand: r.outcome.distanceBand,
            manualPricing: null,
            comment: null,
            priceValidUntil: validity.validUntil,
            priceExpiresAt: validity.expiresAt.toISOString(),
          } satisfies Partial<QuoteLine>);
          setStatus(line, 'Completed', cmd.actor, 'submit', `Priced from the price list (${r.outcome.distanceBand}) (Q-5)`);
        } else {
          const reason = `Needs manual pricing: ${r.outcome.reason} (${r.outcome.rule})`;
          line.manualPricing = { rule: r.outcome.rule, reason: r.outcome.reason, confirmed: confirmed.has(line.lineNo), indicativeMonthlyRentOre: r.outcome.indicativeMonthlyRentOre };
          line.comment = reason;
          // only the lines the user confirms go to the wholesaler; the others stay New with the reason
          if (confirmed.has(line.lineNo)) setStatus(line, 'Received', cmd.actor, 'submit', reason);
          else log(cmd.actor, 'submit', 'New', 'New', line.lineNo, `${reason}: confirm to have the wholesaler price it`);
          line.updatedAt = now();
        }
      }
      changed(cmd.actor);
      await publish();
      return ackOf(state);
    },
  );

  setSerialUpdate(
    lock,
    quoteUpdates.cancelQuote,
    (cmd: CancelQuoteInput) => {
      refuseWhilePricing('cancelQuote');
      refuseIf(decideQuoteAction(state, 'cancelQuote', cmd.actor));
    },
    async (cmd: CancelQuoteInput) => {
      for (const line of state.lines) {
        if (allowedLineActions(line, cmd.actor).includes('cancel')) {
          line.comment = cmd.comment ?? 'The customer cancelled the quote';
          setStatus(line, 'Cancelled', cmd.actor, 'cancelQuote', cmd.comment);
        }
      }
      state.cancelled = true;
      log(cmd.actor, 'cancelQuote', state.status, 'Cancelled', undefined, cmd.comment);
      changed(cmd.actor);
      await publish();
      return ackOf(state);
    },
  );

  setSerialUpdate(
    lock,
    quoteUpdates.markOrdered,
    (cmd: MarkOrderedInput) => refuseIf(decideMarkOrdered(state, cmd, new Date())),
    async (cmd: MarkOrderedInput) => {
      const line = lineOf(cmd.lineNo)!;
      line.orderedAs = cmd.orderNumber;
      if (cmd.pending) line.orderPending = true;
      line.updatedAt = now();
      log(cmd.actor, 'markOrdered', line.status, line.status, line.lineNo, `${cmd.pending ? 'Being ordered' : 'Ordered'} as ${cmd.orderNumber} (Q-12)`);
      changed(cmd.actor);
      await publish();
      return ackOf(state);
    },
  );

  // ---- Q-12 saga: the reservation of markOrdered({ pending }) is confirmed or released (idempotent) ----
  const sagaRefusal = (cmd: MarkOrderedInput, action: string) => {
    const line = lineOf(cmd.lineNo);
    if (!line || line.orderedAs !== cmd.orderNumber) {
      throw notAllowed({ status: line?.status ?? state.status, action, allowedActions: [], rule: 'Q-12', message: `${state.number}: line ${cmd.lineNo} is not reserved for ${cmd.orderNumber}` });
    }
  };
  setSerialUpdate(
    lock,
    quoteUpdates.confirmOrdered,
    (cmd: MarkOrderedInput) => sagaRefusal(cmd, 'confirmOrdered'),
    async (cmd: MarkOrderedInput) => {
      const line = lineOf(cmd.lineNo)!;
      if (line.orderPending) {
        line.orderPending = false;
        line.updatedAt = now();
        log(cmd.actor, 'confirmOrdered', line.status, line.status, line.lineNo, `Ordered as ${cmd.orderNumber} (Q-12)`);
        changed(cmd.actor);
        await publish();
      }
      return ackOf(state);
    },
  );
  setSerialUpdate(
    lock,
    quoteUpdates.releaseOrdered,
    (cmd: MarkOrderedInput) => {
      const line = lineOf(cmd.lineNo);
      // released already (a repeated compensation) is fine; a confirmed order is never released
      if (line && line.orderedAs === cmd.orderNumber && !line.orderPending) {
        throw notAllowed({ status: line.status, action: 'releaseOrdered', allowedActions: [], rule: 'Q-12', message: `${state.number}: line ${cmd.lineNo} is ordered as ${cmd.orderNumber}` });
      }
    },
    async (cmd: MarkOrderedInput) => {
      const line = lineOf(cmd.lineNo);
      if (line && line.orderedAs === cmd.orderNumber && line.orderPending) {
        line.orderedAs = null;
        line.orderPending = false;
        line.updatedAt = now();
        log(cmd.actor, 'releaseOrdered', line.status, line.status, line.lineNo, `Not ordered: ${cmd.orderNumber} could not be made (Q-12)`);
        changed(cmd.actor);
        await publish();
      }
      return ackOf(state);
    },
  );

  // ---- line actions (Q-9, Q-11) ----

  for (const action of QUOTE_LINE_ACTIONS) {
    setSerialUpdate(
      lock,
      quoteUpdates[action],
      (cmd: QuoteLineActionInput) => {
        refuseWhilePricing(action);
        refuseIf(decideQuoteLineAction(state, action, cmd));
        if (action === 'change') {
          const problems = checkLine(cmd.line);
          if (problems.length > 0) throw invalidInput(problems);
        }
      },
      async (cmd: QuoteLineActionInput) => {
        applyLineAction(action, cmd);
        changed(cmd.actor);
        await publish();
        return ackOf(state);
      },
    );
  }

  function applyLineAction(action: QuoteLineAction, cmd: QuoteLineActionInput): void {
    const line = lineOf(cmd.lineNo)!;
    const to = nextLineStatus(line.status, action);
    switch (action) {
      case 'remove':
        state.lines.splice(state.lines.indexOf(line), 1);
        log(cmd.actor, 'remove', line.status, 'Removed', line.lineNo, cmd.comment);
        return;
      case 'change': {
        const l = cmd.line!;
        Object.assign(line, {
          productCode: l.productCode,
          product: l.product,
          productName: l.product.name,
          speedMbps: l.speedMbps,
          addressA: l.addressA,
          addressB: l.addressB,
          attachmentFlag: l.attachmentFlag,
          attachments: l.attachments,
        } satisfies Partial<QuoteLine>);
        // a changed New line is priced afresh on the next submit; an Incomplete line keeps what the handler asked for
        if (line.status === 'New') Object.assign(line, { manualPricing: null, comment: null });
        break;
      }
      case 'take':
        line.handler = cmd.actor.username;
        break;
      case 'setIncomplete':
        line.comment = cmd.comment!.trim();
        break;
      case 'customerUpdate':
        line.comment = cmd.comment?.trim() || null;
        break;
      case 'complete': {
        const validity = priceValidity(new Date(), input.timing.priceValidity);
        Object.assign(line, {
          price: { monthlyRentOre: cmd.price!.monthlyRentOre, establishmentOre: cmd.price!.establishmentOre },
          priceSource: 'manual',
          comment: cmd.comment?.trim() || null,
          priceValidUntil: validity.validUntil,
          priceExpiresAt: validity.expiresAt.toISOString(),
        } satisfies Partial<QuoteLine>);
        break;
      }
      case 'cancel':
        line.comment = cmd.comment?.trim() || 'Cancelled by the customer';
        break;
      case 'cancelByHandler':
        line.comment = cmd.comment!.trim();
        break;
      case 'customerClose':
        break;
    }
    if (to === 'removed') return;
    setStatus(line, to, cmd.actor, action, cmd.comment?.trim() || undefined);
  }

  setHandler(quoteViewQuery, () => state);
  // who works on the quote (a new Update handler; old histories replay unchanged)
  setAssignmentUpdate(lock, {
    view: () => state,
    assignee: () => state.assignee ?? null,
    setAssignee: (u) => {
      state.assignee = u;
    },
    record: (actor, action, text) => {
      log(actor, action, state.status, state.status, undefined, text);
      changed(actor);
    },
    publish,
  });

  await publish();

  // price validity: a Completed line that is not ordered expires at its deadline
  const finished = () => (state.lines.length > 0 || state.cancelled) && state.lines.every(isFinalLine);
  while (!finished()) {
    if (shouldContinueAsNew(input.continueAsNewAfterEvents)) {
      await readyToContinueAsNew();
      await continueAsNew<typeof quoteWorkflow>({ ...input, resume: state });
    }
    const seen = changes;
    const deadlines = state.lines.filter((l) => l.status === 'Completed' && l.orderedAs === null && l.priceExpiresAt !== null).map((l) => new Date(l.priceExpiresAt!).getTime());
    if (deadlines.length === 0) {
      await condition(() => changes !== seen);
      continue;
    }
    const moved = await condition(() => changes !== seen, Math.max(1, Math.min(...deadlines) - Date.now()));
    if (moved) continue;
    let expired = 0;
    for (const line of state.lines) {
      if (line.status === 'Completed' && line.orderedAs === null && line.priceExpiresAt !== null && new Date(line.priceExpiresAt).getTime() <= Date.now()) {
        line.comment = `The price was valid until ${line.priceValidUntil}`;
        setStatus(line, 'Expired', SYSTEM_ACTOR, 'expire', line.comment);
        expired++;
      }
    }
    if (expired > 0) {
      changed(SYSTEM_ACTOR);
      await publish();
    }
  }
  await condition(allHandlersFinished);
  return state;
}
