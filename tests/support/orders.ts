// Drives orders through the API for the order tests.
import { addCalendarDays, osloDate } from '../../domain/time';
import { eventually } from './eventually';
import type { Stack } from './stack';

export interface OrderTokens {
  customer: string;
  handler: string;
}

/** Addresses with no line in their building (Kapaks: one green "NEW-…" answer for ADSL, zones 1–2). */
export const FREE_ADDRESSES = ['adr-0069', 'adr-0074', 'adr-0080', 'adr-0083', 'adr-0099', 'adr-0101', 'adr-0170', 'adr-0171', 'adr-0172', 'adr-0176', 'adr-0181'];

let next = 0;
/** A fresh end-user address for each order, so O-19 never makes a test's order a duplicate by accident. */
export function freshAddress(): string {
  const a = FREE_ADDRESSES[next % FREE_ADDRESSES.length]!;
  next++;
  return a;
}
/** Speeds rotate with the address list so (address, product, speed) stays unique for 44 orders. */
export function freshSpeed(): number {
  return [2, 8, 16, 24][Math.floor((next - 1) / FREE_ADDRESSES.length) % 4]!;
}

export const today = () => osloDate(new Date());
export const daysAhead = (n: number) => addCalendarDays(today(), n);

/** A different end user for each order (O-13 refuses a second access line for one end user at one address). */
function freshEndUserName(): string {
  let n = next;
  let suffix = '';
  do {
    suffix = String.fromCharCode(97 + (n % 26)) + suffix;
    n = Math.floor(n / 26);
  } while (n > 0);
  return `Siri Testesen-${suffix}`;
}

export function draftBody(overrides: Record<string, unknown> = {}, line: Record<string, unknown> = {}) {
  const addressId = freshAddress();
  return {
    orderType: 'Standard',
    productCode: 'JARA-ADSL-DELT',
    speedMbps: freshSpeed(),
    requestedDate: daysAhead(20),
    contact: { name: 'Kari Nordmann', phone: '91234567' },
    references: { customerOrderRef: `NN-${Math.floor(Math.random() * 1e6)}` },
    lines: [{ endUser: { kind: 'person', name: freshEndUserName(), birthDate: '1985-05-05' }, address: { addressId }, ...line }],
    ...overrides,
  };
}

export async function createOrder(stack: Pick<Stack, 'api'>, token: string, body: Record<string, unknown> = draftBody()) {
  const res = await stack.api('POST', '/v1/orders', { token, json: body });
  if (res.status !== 201) throw new Error(`create order: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { number: string; caseId: string; status: string; lines: Array<{ lineNo: number }> };
}

export async function ok<T = any>(promise: Promise<{ status: number; body: T }>, expected = 200): Promise<T> {
  const res = await promise;
  if (res.status !== expected) throw new Error(`expected ${expected}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * A complete Standard order, availability checked (green), ready to submit: a technician is booked where
 * O-12 asks for one (Kapaks allows it and a slot is free), unless `book: false` (the test books itself).
 */
export async function readyOrder(stack: Pick<Stack, 'api'>, token: string, overrides: Record<string, unknown> = {}, line: Record<string, unknown> = {}, opts: { book?: boolean } = {}) {
  const order = await createOrder(stack, token, draftBody(overrides, line));
  await ok(stack.api('POST', `/v1/orders/${order.number}/lines/1/availability`, { token }));
  if (opts.book !== false) await bookWhereExpected(stack, token, order.number);
  return order;
}

/**
 * O-12: books a free slot for every line the validation says must be booked. Many orders of a test file
 * share the simulator's slots: a full one only means the next, and once every slot is taken the
 * validation no longer asks for a booking (nothing could be booked).
 */
export async function bookWhereExpected(stack: Pick<Stack, 'api'>, token: string, orderNumber: string): Promise<void> {
  for (let round = 0; round < 5; round++) {
    const v = await ok(stack.api('GET', `/v1/orders/${orderNumber}/validation`, { token }));
    const due = (v.problems as Array<{ field: string; rule: string }>).map((p) => (p.rule === 'O-12' ? /^lines\.(\d+)\.booking$/.exec(p.field) : null)).filter((m) => m !== null);
    if (due.length === 0) return;
    for (const m of due) {
      const lineNo = Number(m[1]) + 1;
      const slots = await ok(stack.api('GET', `/v1/orders/${orderNumber}/lines/${lineNo}/slots`, { token }));
      for (const slot of slots.items as Array<{ slotId: string }>) {
        const res = await stack.api('POST', `/v1/orders/${orderNumber}/lines/${lineNo}/booking`, { token, json: { slotId: slot.slotId } });
        if (res.status === 200) break;
        if (res.status !== 422) throw new Error(`booking ${slot.slotId}: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
  }
  throw new Error(`${orderNumber}: the validation still asks for a technician booking`);
}

/**
 * Submits a ready order. The slots are shared by the whole test file: a slot another test frees between the
 * validation and the submit makes O-12 ask for a booking again, so a refusal naming only O-12 books and retries.
 */
export async function submittedOrder(stack: Pick<Stack, 'api'>, token: string, overrides: Record<string, unknown> = {}) {
  const order = await readyOrder(stack, token, overrides);
  for (let attempt = 0; ; attempt++) {
    const res = await stack.api('POST', `/v1/orders/${order.number}/submit`, { token });
    const errors = (res.body?.errors ?? []) as Array<{ rule?: string }>;
    const onlyBooking = res.status === 400 && errors.length > 0 && errors.every((e) => e.rule === 'O-12');
    if (!onlyBooking || attempt === 2) return ok(Promise.resolve(res));
    await bookWhereExpected(stack, token, order.number);
  }
}

export const lineOf = (stack: Stack, token: string, number: string, lineNo = 1) => stack.api('GET', `/v1/orders/${number}/lines/${lineNo}`, { token });

export function handlerStep(stack: Stack, token: string, lineNumber: string, path: string, json: Record<string, unknown> = {}) {
  return stack.api('POST', `/v1/handler/order-lines/${lineNumber}/${path}`, { token, json });
}

/** The handler's steps from Registered to each delivery status (O-15). */
export const STEPS = ['Ordered', 'Design', 'Ready', 'Field Service', 'Test', 'Delivery', 'Finished', 'Closed'] as const;

export async function advanceTo(stack: Stack, handler: string, lineNumber: string, target: (typeof STEPS)[number]) {
  const [orderNumber, lineNo] = lineNumber.split(':');
  const current = (await stack.api('GET', `/v1/orders/${orderNumber}/lines/${lineNo}`, { token: handler })).body.status as string;
  for (const to of STEPS.slice(STEPS.indexOf(current as (typeof STEPS)[number]) + 1)) {
    const body: Record<string, unknown> = { to };
    if (to === 'Field Service') body.installationDate = daysAhead(25);
    await ok(handlerStep(stack, handler, lineNumber, 'advance', body));
    if (to === target) return;
  }
}

/** O-17: a submitted order whose line a handler has set Incomplete with `comment` (the reseller answers it). */
export async function incompleteOrderLine(stack: Stack, customer: string, handler: string, comment: string) {
  const order = await submittedOrder(stack, customer);
  await eventually(async () => (await stack.api('GET', `/v1/orders/${order.number}/lines/1`, { token: customer })).body.status === 'Registered', 20_000, 'line Registered');
  await ok(stack.api('POST', `/v1/handler/order-lines/${order.number}:1/incomplete`, { token: handler, json: { comment } }));
  return order;
}
