// X-7 billing simulator and the invoice arithmetic (M-3.1, M-3.2): exact øre, proration, VAT,
// stable numbers, idempotent issue, refusal of an open period, faults like the other systems.
import { describe, expect, it } from 'vitest';
import { type BillableFacts, BillingSimulator, invoiceNumber } from '../../../adapters/billing';
import { AdapterRejectedError, AdapterUnavailableError } from '../../../adapters/faults';
import { PriceListSimulator } from '../../../adapters/price-list';
import { daysInPeriod, formatNok, kroner, mulDivRound, periodEnd, proratedRent, specificationCsv, vatOf } from '../../../domain/invoice';

const prices = new PriceListSimulator({ faults: { latencyMs: [0, 0] } });
const facts: BillableFacts = {
  products: [
    { number: '22000001', productCode: 'PSTN', productName: 'PSTN', speedMbps: null, startDate: '2020-01-01', endDate: null },
    // held from the 11th of November to (not including) the 21st: 10 days
    { number: '22000002', productCode: 'JARA-ADSL-DELT', productName: 'Jara ADSL delt', speedMbps: 8, startDate: '2026-11-11', endDate: '2026-11-21' },
    { number: '22000003', productCode: 'PSTN', productName: 'PSTN', speedMbps: null, startDate: '2026-12-05', endDate: null }, // after the period
  ],
  deliveries: [{ orderLine: 'ORD-123456789:1', productCode: 'JARA-ADSL-DELT', productName: 'Jara ADSL delt', speedMbps: 8, finishedOn: '2026-11-11', agreedEstablishmentOre: null }],
  cancellations: [
    { orderLine: 'ORD-223456789:1', productCode: 'JARA-ADSL-DELT', productName: 'Jara ADSL delt', cancelledOn: '2026-11-20', feeOre: 19_000 },
    { orderLine: 'ORD-323456789:1', productCode: 'JARA-ADSL-DELT', productName: 'Jara ADSL delt', cancelledOn: '2026-11-21', feeOre: 0 }, // free: no line
  ],
};
const sim = (extra: Partial<ConstructorParameters<typeof BillingSimulator>[0]> = {}) =>
  new BillingSimulator({ prices, faults: { latencyMs: [0, 0] }, source: { factsFor: async () => facts }, now: () => new Date('2026-12-02T10:00:00Z'), ...extra });

describe('M-3.2: invoice arithmetic in exact øre', () => {
  it('M-3.2: rounding half up in integers, proration by days, VAT 25 %', () => {
    expect(mulDivRound(1, 1, 2)).toBe(1);
    expect(mulDivRound(3, 1, 2)).toBe(2);
    expect(mulDivRound(99_999_999_999, 30, 31)).toBe(96_774_193_547);
    expect(daysInPeriod('2026-02')).toBe(28);
    expect(daysInPeriod('2028-02')).toBe(29);
    expect(periodEnd('2026-12')).toBe('2026-12-31');
    expect(proratedRent(30_000, '2026-11', '2026-11-01', '2026-11-30')).toEqual({ days: 30, amountOre: 30_000 });
    expect(proratedRent(29_900, '2026-11', '2026-11-11', '2026-11-20')).toEqual({ days: 10, amountOre: 9967 }); // 9966.67 → 9967
    expect(vatOf(9967)).toEqual({ vatOre: 2492, totalOre: 12_459 }); // 2491.75 → 2492
    expect(formatNok(123_456_789)).toBe('1 234 567,89');
    expect(kroner(-5)).toBe('-0.05');
  });

  it('M-3.3: the CSV quotes what needs quoting and neutralises formulas', () => {
    const csv = specificationCsv({ number: 'INV-000000001', period: '2026-11' }, [
      {
        lineNo: 1,
        kind: 'monthly_rent',
        description: '=HYPERLINK("x"), "rent"',
        productCode: 'PSTN',
        productNumber: '22000001',
        orderLine: null,
        fromDate: '2026-11-01',
        toDate: '2026-11-30',
        days: 30,
        unitOre: 100,
        amountOre: 100,
      },
    ]);
    expect(csv.split('\r\n')[1]).toBe(`INV-000000001,2026-11,1,monthly_rent,"'=HYPERLINK(""x""), ""rent""",PSTN,22000001,,2026-11-01,2026-11-30,30,100,100,1.00`);
  });
});

describe('X-7: the billing simulator', () => {
  it('M-3.1, M-3.2: issues the closed month with rents (prorated), establishment and charged cancellations; totals add up', async () => {
    const inv = (await sim().invoice({ companyId: 'nordnett', period: '2026-11' }))!;
    const pstn = (await prices.price({ productCode: 'PSTN', distanceMeters: 0 }))!;
    const adsl = (await prices.price({ productCode: 'JARA-ADSL-DELT', speedMbps: 8, distanceMeters: 0 }))!;
    expect(inv).toMatchObject({ number: invoiceNumber('nordnett', '2026-11'), period: '2026-11', issueDate: '2026-12-01', dueDate: '2026-12-31', vatRatePct: 25 });
    expect(inv.lines.map((l) => [l.kind, l.productNumber ?? l.orderLine, l.amountOre])).toEqual([
      ['monthly_rent', '22000001', pstn.monthlyRentOre],
      ['monthly_rent', '22000002', mulDivRound(adsl.monthlyRentOre, 10, 30)],
      ['establishment', 'ORD-123456789:1', adsl.establishmentOre],
      ['cancellation', 'ORD-223456789:1', 19_000],
    ]);
    expect(inv.lines[1]).toMatchObject({ fromDate: '2026-11-11', toDate: '2026-11-20', days: 10 });
    expect(inv.netOre).toBe(inv.lines.reduce((t, l) => t + l.amountOre, 0));
    expect(inv.totalOre).toBe(inv.netOre + inv.vatOre);
  });

  it('M-3.1: an issued invoice never changes; an open period is refused; nothing to bill gives no invoice', async () => {
    let calls = 0;
    const s = sim({ source: { factsFor: async () => (calls++ === 0 ? facts : { products: [], deliveries: [], cancellations: [] }) } });
    const first = await s.invoice({ companyId: 'nordnett', period: '2026-11' });
    expect(await s.invoice({ companyId: 'nordnett', period: '2026-11' })).toEqual(first);
    expect(await s.invoice({ companyId: 'fjordtel', period: '2026-11' })).toBeNull();
    await expect(s.invoice({ companyId: 'nordnett', period: '2026-12' })).rejects.toBeInstanceOf(AdapterRejectedError);
    expect(invoiceNumber('nordnett', '2026-11')).not.toBe(invoiceNumber('fjordtel', '2026-11'));
    expect(invoiceNumber('nordnett', '2026-11')).toMatch(/^INV-\d{9}$/);
  });

  it('X-7: faults like the other systems (SIM_BILLING_*)', async () => {
    const s = sim({ faults: { latencyMs: [0, 0], errorRate: 1 } });
    await expect(s.invoice({ companyId: 'nordnett', period: '2026-11' })).rejects.toBeInstanceOf(AdapterUnavailableError);
    s.faults.set({ errorRate: 0 });
    expect(await s.invoice({ companyId: 'nordnett', period: '2026-11' })).not.toBeNull();
  });
});
