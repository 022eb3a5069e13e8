// Pure quote rules: Q-10 header precedence, Q-9/Q-11 transitions, Q-2…Q-7 line field rules and
// pricing route, price validity (production default pinned).
import { describe, expect, it } from 'vitest';
import { ADDRESS_EXAMPLES, AddressRegisterSimulator, PRODUCT_CATALOG, type Product } from '../../adapters';
import { createSimulators } from '../../adapters';
import { createQuoteActivities } from '../../activities/quotes';
import { RULE_DURATIONS } from '../../domain/durations';
import type { Actor } from '../../domain/identity';
import {
  allowedLineActions,
  allowedQuoteActions,
  completedLineCount,
  isFinalLine,
  isOrderable,
  LINE_TRANSITIONS,
  type LineCheck,
  lineProblems,
  nextLineStatus,
  priceValidity,
  pricingRoute,
  QuoteLineAction,
  QuoteLineStatus,
  legacyQuoteHeaderStatus,
  quoteHeaderStatus,
  type QuoteProduct,
} from '../../domain/quote';
import { osloDate, osloInstant } from '../../domain/time';
import { quoteProduct } from '../../api/routes/quotes';

const customer: Actor = { username: 'ola', role: 'reseller', companyId: 'nordnett', accessType: 'ordering' };
const reader: Actor = { ...customer, username: 'kari', accessType: 'read' };
const handler: Actor = { username: 'hanne', role: 'handler', companyId: null, accessType: null };

const product = (code: string): QuoteProduct => quoteProduct(PRODUCT_CATALOG.get(code) as Product);

describe('Q-10: header status from the lines', () => {
  const table: Array<[QuoteLineStatus[], string]> = [
    [[], 'New'],
    [['New'], 'New'],
    // Q-10 (slide 43): "New: … det har ikke blitt utført prisforespørsel på noen av Quote Line Items"
    [['New', 'Completed'], 'Completed'],
    [['New', 'Cancelled'], 'New'],
    [['Received', 'New', 'Completed'], 'Received'],
    [['In Process', 'Received', 'New'], 'In Process'],
    [['Customer Update', 'In Process', 'Received'], 'Customer Update'],
    [['Incomplete', 'Customer Update', 'In Process', 'Received', 'New', 'Completed'], 'Incomplete'],
    [['Completed', 'Completed'], 'Completed'],
    [['Completed', 'Cancelled', 'Customer Closed'], 'Completed'],
    [['Customer Closed', 'Cancelled'], 'Completed'],
    [['Expired', 'Cancelled'], 'Completed'],
    [['Cancelled', 'Cancelled'], 'Cancelled'],
  ];
  it.each(table)('Q-10: lines %j → %s', (lines, header) => expect(quoteHeaderStatus(lines)).toBe(header));

  it('Q-10: New only while no line has had a price request; a priced line beside one awaiting manual-pricing confirmation is not New', () => {
    expect(quoteHeaderStatus(['New', 'New'], false, false)).toBe('New');
    expect(quoteHeaderStatus(['Completed', 'New'], false, true)).toBe('Completed');
    expect(quoteHeaderStatus(['Received', 'New'], false, true)).toBe('Received');
    expect(legacyQuoteHeaderStatus(['Completed', 'New'])).toBe('New'); // the replayed, uncorrected reading
  });

  it('Q-10: a quote the user cancelled before adding lines is Cancelled', () => {
    expect(quoteHeaderStatus([], true)).toBe('Cancelled');
  });

  it('Q-10: the header counts the Completed lines (not Customer Closed or Expired)', () => {
    expect(completedLineCount(['Completed', 'Completed', 'Customer Closed', 'Expired', 'New'])).toBe(2);
  });
});

describe('Q-9 / Q-11: line transitions', () => {
  const line = (status: QuoteLineStatus, orderedAs: string | null = null) => ({ status, orderedAs });

  it('Q-11: the user changes status only Incomplete → Customer Update and Completed → Customer Closed (and cancels, Q-9)', () => {
    for (const action of QuoteLineAction.options) {
      const t = LINE_TRANSITIONS[action];
      if (t.by !== 'customer' || t.to === 'unchanged' || t.to === 'removed') continue;
      expect(['Customer Update', 'Customer Closed', 'Cancelled']).toContain(t.to);
    }
    expect(LINE_TRANSITIONS.customerUpdate.from).toEqual(['Incomplete']);
    expect(LINE_TRANSITIONS.customerClose.from).toEqual(['Completed']);
  });

  it('Q-9: the handler loop Received → In Process → Incomplete / Completed; Customer Update returns to the handler', () => {
    expect(nextLineStatus('Received', 'take')).toBe('In Process');
    expect(nextLineStatus('In Process', 'setIncomplete')).toBe('Incomplete');
    expect(nextLineStatus('Incomplete', 'customerUpdate')).toBe('Customer Update');
    expect(nextLineStatus('Customer Update', 'take')).toBe('In Process');
    expect(nextLineStatus('In Process', 'complete')).toBe('Completed');
    expect(nextLineStatus('Completed', 'customerClose')).toBe('Customer Closed');
    expect(nextLineStatus('New', 'remove')).toBe('removed');
  });

  it('Q-9: who may do what in each status', () => {
    expect(allowedLineActions(line('New'), customer)).toEqual(['change', 'remove', 'cancel']);
    expect(allowedLineActions(line('Incomplete'), customer)).toEqual(['change', 'cancel', 'customerUpdate']);
    expect(allowedLineActions(line('Completed'), customer)).toEqual(['cancel', 'customerClose']);
    expect(allowedLineActions(line('Received'), handler)).toEqual(['take', 'cancelByHandler']);
    expect(allowedLineActions(line('In Process'), handler)).toEqual(['setIncomplete', 'complete', 'cancelByHandler']);
    expect(allowedLineActions(line('New'), handler)).toEqual([]);
    for (const s of QuoteLineStatus.options) expect(allowedLineActions(line(s), reader)).toEqual([]);
    for (const s of ['Customer Closed', 'Cancelled', 'Expired'] as const) {
      expect(allowedLineActions(line(s), customer)).toEqual([]);
      expect(allowedLineActions(line(s), handler)).toEqual([]);
    }
  });

  it('Q-12: a line that was ordered takes no more actions and is final', () => {
    expect(allowedLineActions(line('Completed', 'ORD-000001'), customer)).toEqual([]);
    expect(isFinalLine(line('Completed', 'ORD-000001'))).toBe(true);
    expect(isFinalLine(line('Completed'))).toBe(false);
  });

  it('quote-level actions follow the lines', () => {
    const q = (lines: QuoteLineStatus[], cancelled = false) => ({ status: quoteHeaderStatus(lines, cancelled), cancelled, lines: lines.map((s) => line(s)) });
    expect(allowedQuoteActions(q([]), customer)).toEqual(['addLine', 'cancelQuote']);
    expect(allowedQuoteActions(q(['New', 'Received']), customer)).toEqual(['addLine', 'submit', 'cancelQuote']);
    expect(allowedQuoteActions(q(['Customer Closed', 'Completed']), customer)).toEqual(['addLine', 'cancelQuote']);
    expect(allowedQuoteActions(q(['Customer Closed', 'Expired']), customer)).toEqual([]); // closed: every line final
    expect(allowedQuoteActions(q(['Cancelled'], true), customer)).toEqual([]);
    expect(allowedQuoteActions(q(['New']), reader)).toEqual([]);
    expect(allowedQuoteActions(q(['New']), handler)).toEqual([]);
  });
});

describe('Q-2…Q-4, Q-7: line field rules', () => {
  const found = (id: string, postBox = false) => ({ id, facts: { id, postBox } });
  const base: LineCheck = {
    productCode: 'SAMB-ETH',
    product: product('SAMB-ETH'),
    speedMbps: 34,
    addressA: found('adr-0003'),
    addressB: found('adr-0004'),
    attachmentFlag: false,
    attachmentCount: 0,
  };
  const table: Array<[string, Partial<LineCheck>, Array<[string, string]>]> = [
    ['a complete two-ended line', {}, []],
    ['Q-2: missing speed', { speedMbps: null }, [['speedMbps', 'Q-2']]],
    ['Q-2: a speed the product does not offer', { speedMbps: 40 }, [['speedMbps', 'Q-2']]],
    ['Q-2: no address A', { addressA: null }, [['addressAId', 'Q-2']]],
    ['Q-2: two-ended without B', { addressB: null }, [['addressBId', 'Q-2']]],
    ['Q-2: a post-box address', { addressA: found('adr-0011', true) }, [['addressAId', 'Q-2']]],
    ['Q-3: an unknown address', { addressB: { id: 'adr-9999', facts: undefined } }, [['addressBId', 'Q-3']]],
    ['Q-4: attachment flag without attachment', { attachmentFlag: true, addressA: null, addressB: null }, [['attachmentIds', 'Q-4']]],
    ['Q-4: attachment flag with attachment', { attachmentFlag: true, addressA: null, addressB: null, attachmentCount: 1 }, []],
    [
      'Q-4: the flag replaces the addresses',
      { attachmentFlag: true, attachmentCount: 1 },
      [
        ['addressAId', 'Q-4'],
        ['addressBId', 'Q-4'],
      ],
    ],
    ['G-4: attachments on a fully addressed line', { attachmentCount: 2 }, []],
    ['Q-7: Telelosji with flag and form', { productCode: 'TELELOSJI', product: product('TELELOSJI'), speedMbps: null, addressA: null, addressB: null, attachmentFlag: true, attachmentCount: 1 }, []],
    [
      'Q-7: Telelosji without flag or form',
      { productCode: 'TELELOSJI', product: product('TELELOSJI'), speedMbps: null, addressB: null },
      [
        ['attachmentFlag', 'Q-7'],
        ['attachmentIds', 'Q-7'],
      ],
    ],
    ['Q-1: DSL is ordered directly', { productCode: 'JARA-ADSL-FULL', product: product('JARA-ADSL-FULL'), speedMbps: 8, addressB: null }, [['productCode', 'Q-1']]],
    ['unknown product', { productCode: 'NOPE', product: undefined }, [['productCode', 'Q-2']]],
    [
      'every failing field at once (G-1)',
      { speedMbps: null, addressA: null, addressB: found('adr-0012', true) },
      [
        ['speedMbps', 'Q-2'],
        ['addressAId', 'Q-2'],
        ['addressBId', 'Q-2'],
      ],
    ],
  ];
  it.each(table)('%s', (_name, change, expected) => {
    expect(lineProblems({ ...base, ...change }).map((p) => [p.field, p.rule])).toEqual(expected);
  });
});

describe('Q-5 / Q-6 / Q-7: pricing route', () => {
  const eth = product('SAMB-ETH');
  const route = (speedMbps: number | null, zoneA: number | null, zoneB: number | null, extra: Partial<Parameters<typeof pricingRoute>[0]> = {}) =>
    pricingRoute({ product: eth, speedMbps, attachmentFlag: false, zoneA, zoneB, distanceMeters: 1200, ...extra });
  const table: Array<[string, ReturnType<typeof pricingRoute>['kind'], string | undefined, ReturnType<typeof route>]> = [
    ['34 Mbit/s zone 1/1', 'auto', undefined, route(34, 1, 1)],
    ['34 Mbit/s zone 1/2', 'manual', 'Q-5', route(34, 1, 2)],
    ['34 Mbit/s zone 2/2', 'manual', 'Q-5', route(34, 2, 2)],
    ['155 Mbit/s zone 1/1', 'auto', undefined, route(155, 1, 1)],
    ['155 Mbit/s zone 2/1', 'manual', 'Q-5', route(155, 2, 1)],
    ['155 Mbit/s zone 2/2', 'manual', 'Q-5', route(155, 2, 2)],
    ['10 Mbit/s zone 1/2', 'auto', undefined, route(10, 1, 2)],
    ['10 Mbit/s zone 3/2', 'auto', undefined, route(10, 3, 2)],
    ['distance cannot be computed', 'manual', 'Q-5', route(10, 1, 1, { distanceMeters: undefined })],
    ['attachment flag (Q-4)', 'manual', 'Q-5', route(10, null, null, { attachmentFlag: true, distanceMeters: undefined })],
    ['non-price-list product', 'manual', 'Q-6', route(null, 1, 1, { product: product('MORK-FIBER') })],
    ['Telelosji', 'manual', 'Q-7', route(null, null, null, { product: product('TELELOSJI'), attachmentFlag: true })],
  ];
  it.each(table)('Q-5: %s → %s %s', (_name, kind, rule, r) => {
    expect(r.kind).toBe(kind);
    if (r.kind === 'manual') expect(r.rule).toBe(rule);
  });
});

describe('Q-5 pricing activity against the simulated register and price list', () => {
  const sims = createSimulators({});
  const { priceQuoteLines } = createQuoteActivities(sims);
  const reg = new AddressRegisterSimulator();
  const snap = async (id: string) => {
    const a = (await reg.get(id))!;
    return { id, label: a.label, zone: a.zone };
  };

  it('Q-5: a zone-1 pair at 34 Mbit/s is priced from the tariff of its distance band', async () => {
    const [a, b] = ADDRESS_EXAMPLES.zone1Pair;
    const [r] = await priceQuoteLines([{ lineNo: 1, product: product('SAMB-ETH'), speedMbps: 34, addressA: await snap(a), addressB: await snap(b), attachmentFlag: false }]);
    const tariff = await sims.prices.price({ productCode: 'SAMB-ETH', speedMbps: 34, distanceMeters: (await sims.addresses.distanceMeters(a, b))! });
    expect(r!.outcome).toEqual({ kind: 'auto', price: { monthlyRentOre: tariff!.monthlyRentOre, establishmentOre: tariff!.establishmentOre }, distanceBand: tariff!.distanceBand });
    expect(Number.isInteger(tariff!.monthlyRentOre)).toBe(true);
  });

  it('Q-6: a price-list product at a speed without a tariff goes to manual pricing', async () => {
    const [a, b] = ADDRESS_EXAMPLES.zone1Pair;
    const [r] = await priceQuoteLines([{ lineNo: 1, product: product('SAMB-ETH'), speedMbps: 1000, addressA: await snap(a), addressB: await snap(b), attachmentFlag: false }]);
    expect(r!.outcome).toMatchObject({ kind: 'manual', rule: 'Q-6' });
  });

  it('Q-8: outside zone 1 the monthly rent of the price list is shown at once', async () => {
    const [a, b] = ADDRESS_EXAMPLES.zone1Zone2Pair;
    const [r] = await priceQuoteLines([{ lineNo: 1, product: product('SAMB-ETH'), speedMbps: 155, addressA: await snap(a), addressB: await snap(b), attachmentFlag: false }]);
    expect(r!.outcome).toMatchObject({ kind: 'manual', rule: 'Q-5' });
    expect(r!.outcome.kind === 'manual' && r!.outcome.indicativeMonthlyRentOre).toBeGreaterThan(0);
  });
});

describe('price validity (beyond the source)', () => {
  it('the production default is 90 calendar days', () => {
    expect(RULE_DURATIONS.quotePriceValidity).toEqual({ calendarDays: 90 });
  });

  it('valid through the Oslo date 90 days later, expiring at the midnight after', () => {
    const completed = osloInstant('2026-03-01', 23, 30); // late evening, before the switch to summer time
    const v = priceValidity(completed, { calendarDays: 90 });
    expect(v.validUntil).toBe('2026-05-30');
    expect(v.expiresAt.toISOString()).toBe('2026-05-30T22:00:00.000Z'); // 00:00 CEST on 31 May
    expect(osloDate(new Date(v.expiresAt.getTime() - 1))).toBe('2026-05-30');
  });

  it('a test duration in milliseconds expires exactly that long after completion', () => {
    const completed = new Date('2026-06-01T10:00:00Z');
    expect(priceValidity(completed, { ms: 2000 }).expiresAt.toISOString()).toBe('2026-06-01T10:00:02.000Z');
  });

  it('Q-12: orderable only while Completed, unexpired and not ordered', () => {
    const expiresAt = '2026-06-01T10:00:02.000Z';
    const before = new Date('2026-06-01T10:00:01Z');
    const after = new Date('2026-06-01T10:00:03Z');
    expect(isOrderable({ status: 'Completed', orderedAs: null, priceExpiresAt: expiresAt }, before)).toBe(true);
    expect(isOrderable({ status: 'Completed', orderedAs: null, priceExpiresAt: expiresAt }, after)).toBe(false);
    expect(isOrderable({ status: 'Completed', orderedAs: 'ORD-000001', priceExpiresAt: expiresAt }, before)).toBe(false);
    expect(isOrderable({ status: 'Customer Closed', orderedAs: null, priceExpiresAt: expiresAt }, before)).toBe(false);
  });
});
