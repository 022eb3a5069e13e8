// Test data for trouble tickets (M-2): portfolio products whose simulated line test finds a fault, or
// none (adapters/line-test.ts is deterministic per number), and the body of a valid ticket.
import { simulatedVerdict } from '../../adapters/line-test';
import { seedPortfolioRows } from '../../db/portfolio-seed';
import type { Stack } from './stack';

const rows = seedPortfolioRows();

/** Current seeded products of the company whose line test gives the verdict, alone at their address (so an address picks them). */
export function productsWith(companyId: string, verdict: 'fault_found' | 'no_fault_found', productCode?: string, aloneAtAddress = true) {
  const perAddress = new Map<string, number>();
  for (const r of rows) if (r.companyId === companyId) perAddress.set(r.addressId, (perAddress.get(r.addressId) ?? 0) + 1);
  return rows.filter(
    (r) =>
      r.companyId === companyId &&
      (productCode === undefined || r.productCode === productCode) &&
      (!aloneAtAddress || perAddress.get(r.addressId) === 1) &&
      simulatedVerdict(r.number).verdict === verdict,
  );
}

const used = new Set<string>();
/** A fresh product with a fault of the company (each call another one, so M-2.3 never blocks a test by accident). */
export function faultyProduct(companyId: string, productCode?: string) {
  // alone at its address first (a test may pick it by address), then any (picked by number)
  const p = [...productsWith(companyId, 'fault_found', productCode), ...productsWith(companyId, 'fault_found', productCode, false)].find((r) => !used.has(r.number));
  if (!p) throw new Error(`no unused faulty product${productCode ? ` ${productCode}` : ''} of ${companyId}`);
  used.add(p.number);
  return p;
}

export function ticketBody(number: string, overrides: Record<string, unknown> = {}) {
  return {
    number,
    symptom: 'No dial tone since this morning, the modem shows no sync',
    category: 'No service',
    severity: 'Major',
    endUserContact: { name: 'Kari Sluttbruker', phone: '41234567', accessHours: 'Weekdays 08–16' },
    ...overrides,
  };
}

export async function createTicket(stack: Stack, token: string, number: string, overrides: Record<string, unknown> = {}) {
  const res = await stack.api('POST', '/v1/trouble-tickets', { token, json: ticketBody(number, overrides) });
  if (res.status !== 201) throw new Error(`create ticket on ${number}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { number: string; caseId: string; status: string; [k: string]: unknown };
}

export async function submittedTicket(stack: Stack, token: string, number: string) {
  const tt = await createTicket(stack, token, number);
  const res = await stack.api('POST', `/v1/trouble-tickets/${tt.number}/submit`, { token, json: {} });
  if (res.status !== 200) throw new Error(`submit ${tt.number}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { number: string; caseId: string; status: string; [k: string]: unknown };
}
