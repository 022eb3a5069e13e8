import { describe, expect, it } from 'vitest';
import { AdapterRejectedError, AdapterTimeoutError, AdapterUnavailableError } from '../../../adapters/faults';
import { OrderSystemSimulator } from '../../../adapters/order-system';
import { PriceListSimulator } from '../../../adapters/price-list';

const make = () => {
  const prices = new PriceListSimulator({ faults: { latencyMs: [0, 0] } });
  return { prices, orders: new OrderSystemSimulator({ prices, faults: { latencyMs: [0, 0] } }) };
};
const today = '2026-11-26';

describe('X-4 order systems: registration (O-14)', () => {
  it('O-14: registration gives a Siebel-style Customer Order Id and an Agreed Date', async () => {
    const { orders } = make();
    const r = await orders.register({ idempotencyKey: 'o-1', productCode: 'PSTN', today });
    expect(r.customerOrderId).toMatch(/^1-[0-9A-Z]{6}$/);
    expect(r.agreedDate).toBe('2026-12-06'); // PSTN lead time 10 days
    expect(orders.registrations()).toBe(1);
  });

  it('O-5: agreedDate = max(requestedDate, today + lead time), in calendar days', async () => {
    const { orders } = make();
    const early = await orders.register({ idempotencyKey: 'a', productCode: 'SAMB-ETH', requestedDate: '2026-12-01', today });
    expect(early.agreedDate).toBe('2026-12-31'); // 35 days
    const late = await orders.register({ idempotencyKey: 'b', productCode: 'SAMB-ETH', requestedDate: '2027-03-01', today });
    expect(late.agreedDate).toBe('2027-03-01');
    const exact = await orders.register({ idempotencyKey: 'c', productCode: 'JARA-SHDSL', requestedDate: '2026-12-17', today });
    expect(exact.agreedDate).toBe('2026-12-17'); // 21 days
  });

  it('X-4: the same key returns the same Customer Order Id and never registers twice', async () => {
    const { orders } = make();
    const first = await orders.register({ idempotencyKey: 'order-42', productCode: 'ISDN', today });
    const again = await orders.register({ idempotencyKey: 'order-42', productCode: 'ISDN', today: '2026-11-27' });
    expect(again).toEqual(first);
    expect(orders.registrations()).toBe(1);
    const other = await orders.register({ idempotencyKey: 'order-43', productCode: 'ISDN', today });
    expect(other.customerOrderId).not.toBe(first.customerOrderId);
    expect(orders.registrations()).toBe(2);
  });

  it('X-4: concurrent calls with one key register once', async () => {
    const { orders } = make();
    const results = await Promise.all(Array.from({ length: 5 }, () => orders.register({ idempotencyKey: 'race', productCode: 'PSTN', today })));
    expect(new Set(results.map((r) => r.customerOrderId)).size).toBe(1);
    expect(orders.registrations()).toBe(1);
  });

  it('X-4: a time-out whose effect happened (lost reply) is safe to retry with the same key', async () => {
    const { orders } = make();
    orders.faults.set({ lostReplyRate: 1, timeoutMs: 5 });
    await expect(orders.register({ idempotencyKey: 'lost', productCode: 'PSTN', today })).rejects.toBeInstanceOf(AdapterTimeoutError);
    expect(orders.registrations()).toBe(1);
    orders.faults.set({ lostReplyRate: 0 });
    const retry = await orders.register({ idempotencyKey: 'lost', productCode: 'PSTN', today });
    expect(retry.customerOrderId).toMatch(/^1-/);
    expect(orders.registrations()).toBe(1);
  });

  it('a time-out before the effect registers nothing', async () => {
    const { orders } = make();
    orders.faults.set({ timeoutRate: 1, timeoutMs: 5 });
    await expect(orders.register({ idempotencyKey: 'k', productCode: 'PSTN', today })).rejects.toBeInstanceOf(AdapterTimeoutError);
    expect(orders.registrations()).toBe(0);
  });

  it('refuses unknown products, Online ADSL, bad dates and a key reused for another order', async () => {
    const { orders } = make();
    await expect(orders.register({ idempotencyKey: 'x1', productCode: 'NOPE', today })).rejects.toBeInstanceOf(AdapterRejectedError);
    await expect(orders.register({ idempotencyKey: 'x2', productCode: 'ONLINE-ADSL', today })).rejects.toBeInstanceOf(AdapterRejectedError);
    await expect(orders.register({ idempotencyKey: 'x3', productCode: 'PSTN', today: '26.11.2026' })).rejects.toBeInstanceOf(AdapterRejectedError);
    await expect(orders.register({ idempotencyKey: 'x4', productCode: 'PSTN', requestedDate: '2026-02-30', today })).rejects.toBeInstanceOf(AdapterRejectedError);
    await orders.register({ idempotencyKey: 'x5', productCode: 'PSTN', today });
    await expect(orders.register({ idempotencyKey: 'x5', productCode: 'ISDN', today })).rejects.toBeInstanceOf(AdapterRejectedError);
    expect(orders.registrations()).toBe(1);
    // a refused attempt does not burn the key
    await expect(orders.register({ idempotencyKey: 'x1', productCode: 'PSTN', today })).resolves.toBeDefined();
  });

  it('a failing price list surfaces as an order-system error', async () => {
    const { orders, prices } = make();
    prices.faults.set({ errorRate: 1 });
    const err = await orders.register({ idempotencyKey: 'p', productCode: 'PSTN', today }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterUnavailableError);
    expect((err as Error).message).toContain('order-system.register');
    expect(orders.registrations()).toBe(0);
  });

  it('Customer Order Ids are unique across many registrations and simulators', async () => {
    const ids = new Set<string>();
    for (let s = 0; s < 3; s++) {
      const { orders } = make();
      for (let i = 0; i < 100; i++) ids.add((await orders.register({ idempotencyKey: `k${i}`, productCode: 'PSTN', today })).customerOrderId);
    }
    expect(ids.size).toBe(300);
  });
});

describe('X-4 order systems: disconnection (T-2) and switch (I-3)', () => {
  it('T-2: disconnect is idempotent per key; a second disconnection of the line is refused', async () => {
    const { orders } = make();
    const a = await orders.disconnect({ idempotencyKey: 'd1', number: '22604412', date: '2027-01-31' });
    expect(a.disconnectionId).toMatch(/^DC-\d{7}$/);
    await expect(orders.disconnect({ idempotencyKey: 'd1', number: '22604412', date: '2027-01-31' })).resolves.toEqual(a);
    await expect(orders.disconnect({ idempotencyKey: 'd2', number: '22604412', date: '2027-02-28' })).rejects.toBeInstanceOf(AdapterRejectedError);
    await expect(orders.disconnect({ idempotencyKey: 'd3', number: '99999999', date: '2027-01-31' })).rejects.toBeInstanceOf(AdapterRejectedError);
    await expect(orders.disconnect({ idempotencyKey: 'd4', number: 'OSL-893637', date: '2027-01-31' })).resolves.toBeDefined();
  });

  it('I-3: executeSwitch moves an ADSL/operator-access line from its current operator; idempotent per key', async () => {
    const { orders } = make();
    const s = await orders.executeSwitch({ idempotencyKey: 's1', number: '22171903', fromOperator: 'Telenor', toCompany: 'NextGenTel', date: '2026-12-15' });
    expect(s.switchId).toMatch(/^SW-\d{7}$/);
    await expect(orders.executeSwitch({ idempotencyKey: 's1', number: '22171903', fromOperator: 'Telenor', toCompany: 'NextGenTel', date: '2026-12-15' })).resolves.toEqual(s);
    await expect(orders.executeSwitch({ idempotencyKey: 's2', number: '22171903', fromOperator: 'Telenor', toCompany: 'Telia', date: '2026-12-20' })).rejects.toBeInstanceOf(AdapterRejectedError);
  });

  it("I-3: the losing operator must be the line's current operator; only ADSL/operator access switch", async () => {
    const { orders } = make();
    await expect(orders.executeSwitch({ idempotencyKey: 'w1', number: '22604411', fromOperator: 'Telia', toCompany: 'Ice', date: '2026-12-15' })).rejects.toThrow(/losing operator/);
    await expect(orders.executeSwitch({ idempotencyKey: 'w2', number: '22604412', fromOperator: 'Telenor', toCompany: 'Ice', date: '2026-12-15' })).rejects.toBeInstanceOf(AdapterRejectedError);
    await expect(orders.executeSwitch({ idempotencyKey: 'w3', number: '22604411', fromOperator: 'NextGenTel', toCompany: 'NextGenTel', date: '2026-12-15' })).rejects.toBeInstanceOf(
      AdapterRejectedError,
    );
    await expect(orders.executeSwitch({ idempotencyKey: 'w4', number: '22604411', fromOperator: 'nextgentel', toCompany: 'Ice', date: '2026-12-15' })).resolves.toBeDefined();
  });
});
