// Orders: the pure rules — validation table (O-2…O-9, O-13), status tables (O-14…O-16), Reopen (C-1), C-6.
import { describe, expect, it } from 'vitest';
import { PRODUCT_CATALOG } from '../../adapters/price-list';
import { RULE_DURATIONS } from '../../domain/durations';
import type { Actor } from '../../domain/identity';
import {
  allowedLineActions,
  allowedNextSteps,
  allowedOrderActions,
  awaitsManualHandling,
  bookingExpected,
  canAdvance,
  DELIVERY_LINE_STATUSES,
  DELIVERY_STEPS,
  LINE_STATUSES,
  type LineStatus,
  lineStatusCode,
  nextDeliveryStep,
  ORDER_HEADER_PRECEDENCE,
  orderSummaryStatus,
  reopenDecision,
} from '../../domain/order';
import { type DraftLine, isValidOrgNumber, type OrderDraft, orderDraftWarnings, type OrderProblem, type ValidationContext, validateOrderDraft } from '../../domain/order-validation';
import { decideLineAction, decideLineReopen, decideOrderAction } from '../../domain/order-decisions';

const TODAY = '2026-03-02';
const customer: Actor = { username: 'ola', role: 'reseller', companyId: 'nordnett', accessType: 'ordering' };
const reader: Actor = { ...customer, accessType: 'read' };
const handler: Actor = { username: 'hanne', role: 'handler', companyId: null, accessType: null };

function line(lineNo: number, over: Partial<DraftLine> = {}): DraftLine {
  return {
    lineNo,
    endUser: { kind: 'person', name: 'Siri Testesen', birthDate: '1985-05-05' },
    address: { addressId: 'adr-0069' },
    addressB: null,
    attachments: [],
    lookup: null,
    booking: null,
    quoteLine: null,
    price: null,
    status: 'New',
    availability: {
      query: { addressId: 'adr-0069' },
      checkedAt: `${TODAY}T10:00:00Z`,
      outcome: 'answered',
      attempts: 1,
      selectedLineId: 'NEW-adr-0069',
      candidates: [{ lineId: 'NEW-adr-0069', addressId: 'adr-0069', addressLabel: 'Kirkegata 28', colour: 'green', reason: 'ok' }],
    },
    ...over,
  };
}

function draft(over: Partial<OrderDraft> = {}): OrderDraft {
  return {
    kind: 'new',
    orderType: 'Standard',
    productCode: 'JARA-ADSL-DELT',
    speedMbps: 16,
    equipment: null,
    requestedDate: '2026-03-20',
    contact: { name: 'Kari Nordmann', phone: '91234567' },
    references: { customerOrderRef: 'NN-1' },
    lines: [line(1)],
    ...over,
  };
}

function ctx(over: Partial<ValidationContext> = {}, productCode = 'JARA-ADSL-DELT'): ValidationContext {
  return { today: TODAY, product: PRODUCT_CATALOG.get(productCode), lineFacts: {}, ...over };
}

const problemsOf = (d: OrderDraft, c: ValidationContext = ctx({}, d.productCode ?? 'JARA-ADSL-DELT')) => validateOrderDraft(d, c);
const rulesAt = (ps: OrderProblem[]) => ps.map((p) => `${p.field}:${p.rule}`);

describe('O-2…O-9: the validation table (one pure function, every problem at once)', () => {
  it('a complete draft has no problems', () => expect(problemsOf(draft())).toEqual([]));

  const cases: Array<[string, Partial<OrderDraft> | ((d: OrderDraft) => OrderDraft), string[]]> = [
    [
      'O-2: a person needs a full name and a date of birth',
      { lines: [line(1, { endUser: { kind: 'person', name: 'Siri', birthDate: '' } })] },
      ['lines.0.endUser.name:O-2', 'lines.0.endUser.birthDate:O-2'],
    ],
    ['O-2: a person under 18', { lines: [line(1, { endUser: { kind: 'person', name: 'Siri Testesen', birthDate: '2015-01-01' } })] }, ['lines.0.endUser.birthDate:O-2']],
    ['O-2: an impossible date of birth', { lines: [line(1, { endUser: { kind: 'person', name: 'Siri Testesen', birthDate: '1985-02-30' } })] }, ['lines.0.endUser.birthDate:O-2']],
    ['O-2: a company needs a valid organisation number', { lines: [line(1, { endUser: { kind: 'company', name: 'Nordlys AS', orgNumber: '914778272' } })] }, ['lines.0.endUser.orgNumber:O-2']],
    ['O-2: a valid company end user', { lines: [line(1, { endUser: { kind: 'company', name: 'Nordlys Regnskap AS', orgNumber: '914778271' } })] }, []],
    ['O-2: the end user is required', { lines: [line(1, { endUser: null })] }, ['lines.0.endUser:O-2']],
    [
      'O-3: address parts: street, number, postcode, town',
      { lines: [line(1, { address: { street: 'Kirkegata', postcode: '153' } })] },
      ['lines.0.address.houseNumber:O-3', 'lines.0.address.postcode:O-3', 'lines.0.address.town:O-3'],
    ],
    ['O-3: a complete street address', { lines: [line(1, { address: { street: 'Kirkegata', houseNumber: 28, postcode: '0153', town: 'OSLO', floor: '6. etg' } })] }, []],
    [
      'O-3: a malformed flat number',
      { lines: [line(1, { address: { street: 'Kirkeveien', houseNumber: 64, houseLetter: 'B', postcode: '0364', town: 'OSLO', flat: '201' } })] },
      ['lines.0.address.flat:O-3'],
    ],
    ['O-3: the cadastral alternative (gnr/bnr)', { lines: [line(1, { address: { cadastral: { municipalityNo: '3434', gnr: 45, bnr: 3 } } })] }, []],
    [
      'O-3: a broken cadastral reference',
      { lines: [line(1, { address: { cadastral: { municipalityNo: '34', gnr: 0, bnr: 3 } } })] },
      ['lines.0.address.cadastral.municipalityNo:O-3', 'lines.0.address.cadastral.gnr:O-3'],
    ],
    ['O-3: the INSA alternative', { lines: [line(1, { address: { insa: 'OSL-INSA-0042' } })] }, []],
    ['O-3: a malformed INSA signature', { lines: [line(1, { address: { insa: 'INSA 42' } })] }, ['lines.0.address.insa:O-3']],
    ['O-3: no address at all', { lines: [line(1, { address: {} })] }, ['lines.0.address:O-3']],
    ['O-5: requested date before the lead time (10 days for Jara ADSL)', { requestedDate: '2026-03-05' }, ['requestedDate:O-5']],
    ['O-5: requested date in the past', { requestedDate: '2026-02-01' }, ['requestedDate:O-5']],
    ['O-5: exactly the lead time is fine', { requestedDate: '2026-03-12' }, []],
    ['O-5: the requested date is required', { requestedDate: null }, ['requestedDate:O-5']],
    ['O-6: the speed is required and must be offered', { speedMbps: 100 }, ['speedMbps:O-6']],
    ['O-6: no speed at all', { speedMbps: null }, ['speedMbps:O-6']],
    ['O-7: contact phone with spaces', { contact: { name: 'Kari Nordmann', phone: '912 34 567' } }, ['contact.phone:O-7']],
    ['O-7: two numbers in one field', { contact: { name: 'Kari Nordmann', phone: '91234567/22334455' } }, ['contact.phone:O-7']],
    ['O-7: a plus sign', { contact: { name: 'Kari Nordmann', phone: '+4791234567' } }, ['contact.phone:O-7']],
    ["O-7: the contact's full name and a phone are required", { contact: { name: 'Kari' } }, ['contact.name:O-7', 'contact.phone:O-7']],
    ['O-7: a second contact phone in its own field, not the same number', { contact: { name: 'Kari Nordmann', phone: '91234567', phone2: '91234567' } }, ['contact.phone2:O-7']],
    ['O-7: a valid second phone', { contact: { name: 'Kari Nordmann', phone: '91234567', phone2: '22334455' } }, []],
    // O-8: the deck warns ("kan lett blandes sammen", slide 53) and refuses nothing: see orderDraftWarnings
    ['O-8: the same value in two reference fields is no refusal', { references: { customerOrderRef: 'ABC-1', customerInvoiceRef: 'abc-1' } }, []],
    ['O-8: a Project Reference on a Standard order is no refusal', { references: { customerOrderRef: 'A', projectReference: 'P-1' } }, []],
    ['O-3: a room number (romnr) is not judged by the flat pattern', { lines: [line(1, { address: { street: 'Kirkegata', houseNumber: 28, postcode: '0153', town: 'OSLO', room: '214' } })] }, []],
    ['O-3: "romnr 12" typed into the flat field is a room number', { lines: [line(1, { address: { street: 'Kirkegata', houseNumber: 28, postcode: '0153', town: 'OSLO', flat: 'romnr 12' } })] }, []],
    ['O-8: a reference with odd characters', { references: { customerOrderRef: 'a;b<c>' } }, ['references.customerOrderRef:O-8']],
    ['O-9: a Standard order has one line', { lines: [line(1), line(2, { address: { addressId: 'adr-0074' } })] }, ['lines:O-9']],
    ['O-9: a Project order needs its Project Reference', { orderType: 'Project', lines: [line(1), line(2, { address: { addressId: 'adr-0074' } })] }, ['references.projectReference:O-9']],
    [
      'O-9: a Project order with 51 lines',
      { orderType: 'Project', references: { projectReference: 'P-1' }, lines: Array.from({ length: 51 }, (_, i) => line(i + 1, { address: { insa: `OSL-INSA-${String(i).padStart(4, '0')}` } })) },
      ['lines:O-9'],
    ],
    [
      'O-9: a Project order with 50 lines is fine',
      { orderType: 'Project', references: { projectReference: 'P-1' }, lines: Array.from({ length: 50 }, (_, i) => line(i + 1, { address: { insa: `OSL-INSA-${String(i).padStart(4, '0')}` } })) },
      [],
    ],
    [
      'O-9: no booking on a Project order',
      {
        orderType: 'Project',
        references: { projectReference: 'P-1' },
        lines: [line(1, { booking: { bookingId: 'BK-1', slotId: 'OSLO-2026-03-20-0812', date: '2026-03-20', window: '08-12', area: 'Oslo' } })],
      },
      ['lines.0.booking:O-9'],
    ],
    ['O-9: an order without lines', { lines: [] }, ['lines:O-9']],
    ['O-9: a reopened order whose lines are all cancelled', { lines: [line(1, { status: 'Cancelled' })] }, ['lines:O-9']],
    ['O-19: two lines of a Project order at the same address', { orderType: 'Project', references: { projectReference: 'P-1' }, lines: [line(1), line(2)] }, ['lines.1.address:O-19']],
    ['O-10: no availability check yet', { lines: [line(1, { availability: null })] }, ['lines.0.availability:O-10']],
    [
      'O-10: red cannot be submitted',
      (d) => ({ ...d, lines: [line(1, { availability: { ...d.lines[0]!.availability!, candidates: [{ ...d.lines[0]!.availability!.candidates[0]!, colour: 'red' }] } })] }),
      ['lines.0.availability:O-10'],
    ],
    [
      'O-11: a timed-out check may be submitted (manual handling)',
      (d) => ({ ...d, lines: [line(1, { availability: { ...d.lines[0]!.availability!, outcome: 'timeout', candidates: [], selectedLineId: null } })] }),
      [],
    ],
    [
      'O-4: an unconfirmed look-up',
      { lines: [line(1, { lookup: { number: '22766146', endUser: { kind: 'person', name: 'Marit Halvorsen' }, address: { addressId: 'adr-0055', label: 'x' }, confirmed: false } })] },
      ['lines.0.lookup:O-4'],
    ],
    [
      'O-1: a capacity product is ordered from a quote',
      { productCode: 'SAMB-ETH', speedMbps: 100, lines: [line(1, { availability: null })] },
      ['productCode:O-1', 'requestedDate:O-5', 'lines.0.addressB:Q-2'],
    ],
    ['O-1: Online ADSL is not orderable wholesale', { productCode: 'ONLINE-ADSL', speedMbps: 8 }, ['productCode:O-1']],
  ];
  it.each(cases)('%s', (_name, change, expected) => {
    const base = draft();
    const d = typeof change === 'function' ? change(base) : { ...base, ...change };
    expect(rulesAt(problemsOf(d, ctx({}, d.productCode ?? 'JARA-ADSL-DELT')))).toEqual(expected);
  });

  it('G-1: every problem at once, each with field, rule and message', () => {
    const d = draft({ requestedDate: '2026-03-03', contact: { name: 'Kari', phone: '12 34' }, lines: [line(1, { endUser: { kind: 'company', name: 'X AS', orgNumber: '1' }, availability: null })] });
    const ps = problemsOf(d);
    expect(rulesAt(ps)).toEqual(['requestedDate:O-5', 'contact.name:O-7', 'contact.phone:O-7', 'lines.0.endUser.orgNumber:O-2', 'lines.0.availability:O-10']);
    for (const p of ps) expect(p.message.length).toBeGreaterThan(5);
  });

  it("O-3: the building's flats from the register: the flat number is required where it exists", () => {
    const d = draft({ lines: [line(1, { address: { street: 'Kirkeveien', houseNumber: 64, houseLetter: 'B', postcode: '0364', town: 'OSLO' } })] });
    expect(rulesAt(problemsOf(d, ctx({ lineFacts: { 1: { flatsInBuilding: ['H0201', 'H0202'] } } })))).toEqual(['lines.0.address.flat:O-3']);
    const withFlat = draft({ lines: [line(1, { address: { street: 'Kirkeveien', houseNumber: 64, houseLetter: 'B', postcode: '0364', town: 'OSLO', flat: 'H0202' } })] });
    expect(problemsOf(withFlat, ctx({ lineFacts: { 1: { flatsInBuilding: ['H0201', 'H0202'] } } }))).toEqual([]);
  });

  it('O-3: a post-box or unknown register address is not an installation address', () => {
    expect(rulesAt(problemsOf(draft(), ctx({ lineFacts: { 1: { registerAddress: { known: true, postBox: true } } } })))).toEqual(['lines.0.address.addressId:O-3']);
    expect(rulesAt(problemsOf(draft(), ctx({ lineFacts: { 1: { registerAddress: { known: false, postBox: false } } } })))).toEqual(['lines.0.address.addressId:O-3']);
  });

  it('O-13: ADSL for an end user who has access from another provider: switch-ISP; elsewhere: their change order or a switch — naming nothing of theirs', () => {
    const same = problemsOf(draft(), ctx({ lineFacts: { 1: { existingAccess: { holder: 'other' as const, sameAddress: true } } } }));
    expect(same).toEqual([expect.objectContaining({ field: 'lines.0.endUser', rule: 'O-13', message: expect.stringMatching(/switch-ISP/) })]);
    const moved = problemsOf(draft(), ctx({ lineFacts: { 1: { existingAccess: { holder: 'other' as const, sameAddress: false } } } }));
    expect(moved[0]?.message).toMatch(/change order/);
    // another provider's customer is never described: no number, product or provider
    for (const p of [...same, ...moved]) expect(p.message).not.toMatch(/\d{6,}|ADSL|JARA|Telia|NextGenTel|Altibox|Fjordtel/);
    // PSTN is not an access product: no O-13
    expect(problemsOf(draft({ productCode: 'PSTN', speedMbps: null }), ctx({ lineFacts: { 1: { existingAccess: { holder: 'other' as const, sameAddress: true } } } }, 'PSTN'))).toEqual([]);
  });

  it('O-2: organisation number check digit (modulus 11)', () => {
    expect(isValidOrgNumber('914778271')).toBe(true);
    expect(isValidOrgNumber('914778272')).toBe(false);
    expect(isValidOrgNumber('91477827')).toBe(false);
  });
});

describe('O-14…O-16: status tables', () => {
  it('O-15: the delivery steps go forwards one at a time, O → D → R → M → T → L → F → Closed', () => {
    const path: LineStatus[] = ['Registered'];
    for (let s = nextDeliveryStep('Registered'); s; s = nextDeliveryStep(path.at(-1)!)) path.push(s);
    expect(path).toEqual(['Registered', 'Ordered', 'Design', 'Ready', 'Field Service', 'Test', 'Delivery', 'Finished', 'Closed']);
    for (const from of LINE_STATUSES) {
      for (const to of Object.keys(DELIVERY_STEPS) as LineStatus[]) {
        const i = path.indexOf(from);
        const j = path.indexOf(to);
        if (i >= 1 && j >= 1 && j !== i + 1) expect(canAdvance(from, to), `${from} → ${to}`).toBe(false);
      }
    }
    expect(canAdvance('Committed', 'Ordered')).toBe(false); // registered first
    expect(canAdvance('In Progress', 'Ordered')).toBe(true);
  });

  it('O-15: the steps a line offers are exactly those the decision accepts — for a handler the one next step, for anybody else none', () => {
    for (const status of LINE_STATUSES) {
      const offered = allowedNextSteps(status, allowedLineActions(status, handler));
      const next = nextDeliveryStep(status);
      expect(offered, status).toEqual(next && allowedLineActions(status, handler).includes('advance') ? [next] : []);
      const view = { number: 'ORD-1:1', status, kind: 'new' as const, line: { booking: null }, manualHandling: false, customerOrderId: null };
      for (const to of Object.keys(DELIVERY_STEPS) as LineStatus[]) {
        const refusal = decideLineAction(view, 'advance', { actor: handler, step: to, installationDate: '2027-03-01' });
        expect(refusal === undefined, `${status} → ${to}`).toBe(offered.includes(to));
      }
      expect(allowedNextSteps(status, allowedLineActions(status, customer))).toEqual([]);
    }
  });

  it("A-2 / A-3: handler actions are the handler's; read access may do nothing", () => {
    expect(allowedLineActions('Registered', handler)).toEqual(['inProgress', 'incomplete', 'reject', 'cancelByOperator', 'advance']);
    expect(allowedLineActions('Registered', customer)).toEqual(['cancel']);
    expect(allowedLineActions('Incomplete', customer)).toEqual(['customerUpdate', 'cancel']);
    expect(allowedLineActions('Registered', customer, 'new', true)).toEqual(['cancel', 'reschedule', 'cancelBooking']);
    expect(allowedLineActions('Field Service', customer, 'new', true)).toEqual(['cancel']); // O-12: no booking change from M
    expect(allowedLineActions('Registered', reader)).toEqual([]);
    expect(allowedLineActions('Closed', handler)).toEqual([]);
  });

  it('C-6: switch-ISP and product-swap lines are not cancelled with Cancel', () => {
    expect(allowedLineActions('Registered', customer, 'switch_isp')).toEqual([]);
    expect(allowedLineActions('Registered', customer, 'product_swap')).toEqual([]);
    expect(allowedLineActions('Registered', handler, 'switch_isp')).toContain('cancelByOperator');
  });

  it('O-16: the header shows the most important line status', () => {
    expect(orderSummaryStatus(['Committed'])).toBe('Committed');
    expect(orderSummaryStatus(['Registered', 'Committed'])).toBe('Committed');
    expect(orderSummaryStatus(['Registered', 'Design'])).toBe('In Process');
    expect(orderSummaryStatus(['Design', 'Incomplete'])).toBe('Incomplete');
    expect(orderSummaryStatus(['Customer Update', 'Registered'])).toBe('In Progress');
    expect(orderSummaryStatus(['Finished', 'Cancelled'])).toBe('Closed');
    expect(orderSummaryStatus(['Closed', 'Cancelled'])).toBe('Closed');
    expect(orderSummaryStatus(['Rejected', 'Cancelled'])).toBe('Rejected');
    expect(orderSummaryStatus(['Cancelled', 'Cancelled'])).toBe('Cancelled');
    expect(orderSummaryStatus(['Duplicate'])).toBe('Duplicate');
    expect(orderSummaryStatus(['Registered', 'Rejected'])).toBe('Rejected');
  });

  // O-16 *Deck* (slide 82): "Den viktigste statusverdien (som f.eks. Incomplete, Rejected og Registered) for de
  // ulike bestillingene fremkommer på ordrehodet." and "Statusverdier på Line Items som faller inn under In Process
  // på ordrehodet (Order Header): Ordered (O), Design (D), Field Service (M), Ready(R), Test (T) og Delivery (L)".
  it.each<[LineStatus[], string]>([
    [['Ordered'], 'In Process'],
    [['Design'], 'In Process'],
    [['Ready'], 'In Process'],
    [['Field Service'], 'In Process'],
    [['Test'], 'In Process'],
    [['Delivery'], 'In Process'],
    [['Finished'], 'Closed'], // fully delivered is not In Process
    [['Finished', 'Closed'], 'Closed'],
    [['Finished', 'Registered'], 'Registered'],
    [['Rejected', 'Registered'], 'Rejected'], // Rejected does not hide behind Registered
    [['Rejected', 'Design'], 'Rejected'],
    [['Rejected', 'Committed', 'In Progress'], 'Rejected'],
    [['Rejected', 'Closed'], 'Rejected'],
    [['Incomplete', 'Rejected'], 'Incomplete'],
    [['Duplicate', 'Design'], 'Duplicate'],
    [['New', 'Rejected'], 'New'],
    [['Cancelled'], 'Cancelled'],
  ])('O-16: lines %j → header %s', (lines, header) => expect(orderSummaryStatus(lines)).toBe(header));

  it('O-16: the precedence is written down once: every header status but Cancelled has its place, In Process covers O, D, R, M, T, L only', () => {
    expect(ORDER_HEADER_PRECEDENCE.map(([h]) => h)).toEqual(['New', 'Incomplete', 'Rejected', 'Duplicate', 'In Process', 'In Progress', 'Committed', 'Registered', 'Closed']);
    expect([...DELIVERY_LINE_STATUSES].sort()).toEqual(['Delivery', 'Design', 'Field Service', 'Ordered', 'Ready', 'Test']);
    // every line status maps to exactly one header value
    for (const s of LINE_STATUSES) expect(ORDER_HEADER_PRECEDENCE.filter(([, ls]) => ls.includes(s)).length).toBe(s === 'Cancelled' ? 0 : 1);
  });

  it('O-16 / C-1: a Rejected line beside a Registered one still lets the order be reopened', () => {
    expect(reopenDecision('submitted', ['Rejected', 'Registered'])).toEqual({ allowed: true });
    expect(reopenDecision('submitted', ['Finished', 'Closed']).allowed).toBe(false);
  });

  it('O-15: letter A is "kansellert av Telenor" (slide 84): the wholesaler\'s cancellation only', () => {
    expect(lineStatusCode('Cancelled', true)).toBe('A');
    expect(lineStatusCode('Cancelled', false)).toBeNull();
    expect(lineStatusCode('Field Service', false)).toBe('M');
    expect(lineStatusCode('Registered', false)).toBeNull();
  });

  it('O-12: where Kapaks allows it and a slot is free, a new Standard order of a bookable product is not submitted without a booking', () => {
    const withSlots = ctx({ lineFacts: { 1: { freeSlots: 4 } } });
    expect(rulesAt(validateOrderDraft(draft(), withSlots))).toEqual(['lines.0.booking:O-12']);
    // no free slot (or the appointment system down): nothing can be booked, nothing is demanded
    expect(rulesAt(validateOrderDraft(draft(), ctx({ lineFacts: { 1: { freeSlots: 0 } } })))).toEqual([]);
    // booked: fine
    const booked = draft({ lines: [line(1, { booking: { bookingId: 'B-1', slotId: 'OSLO-2026-03-20-0812', date: '2026-03-20', window: '08-12', area: 'OSLO' } })] });
    expect(rulesAt(validateOrderDraft(booked, withSlots))).toEqual([]);
    // yellow system error, red, a time-out: Kapaks does not allow it
    const yellow = line(1);
    yellow.availability!.candidates[0] = { ...yellow.availability!.candidates[0]!, colour: 'yellow', yellowKind: 'system_error' };
    expect(bookingExpected({ kind: 'new', orderType: 'Standard' }, 'adsl', yellow.availability)).toBe(false);
    const unclear = line(1);
    unclear.availability!.candidates[0] = { ...unclear.availability!.candidates[0]!, colour: 'yellow', yellowKind: 'unclear' };
    expect(bookingExpected({ kind: 'new', orderType: 'Standard' }, 'adsl', unclear.availability)).toBe(true); // "Du bør booke montør selv"
    expect(bookingExpected({ kind: 'new', orderType: 'Standard' }, 'adsl', { ...line(1).availability!, outcome: 'timeout' })).toBe(false);
    // Project orders book nothing (O-9); capacity products are not booked; a change order is no new order
    expect(bookingExpected({ kind: 'new', orderType: 'Project' }, 'adsl', line(1).availability)).toBe(false);
    expect(bookingExpected({ kind: 'new', orderType: 'Standard' }, 'capacity', line(1).availability)).toBe(false);
    expect(bookingExpected({ kind: 'modify', orderType: 'Standard' }, 'adsl', line(1).availability)).toBe(false);
    for (const f of ['adsl', 'operator_access', 'shdsl', 'pstn', 'isdn']) expect(bookingExpected({ kind: 'new', orderType: 'Standard' }, f, line(1).availability)).toBe(true);
  });

  it('O-11: a line whose check timed out waits for a handler before registration; only a handler completes it', () => {
    const view = { number: 'ORD-1:1', status: 'Committed' as LineStatus, kind: 'new' as const, line: { booking: null }, manualHandling: true, manualHandlingDoneBy: null, customerOrderId: null };
    expect(awaitsManualHandling(view)).toBe(true);
    expect(decideLineAction(view, 'completeManualHandling', { actor: handler, comment: 'Kapaks by hand: green' })).toBeUndefined();
    expect(decideLineAction(view, 'completeManualHandling', { actor: handler })).toMatchObject({ kind: 'invalid' });
    expect(decideLineAction(view, 'completeManualHandling', { actor: customer, comment: 'x' })).toMatchObject({ kind: 'not_allowed' });
    expect(decideLineAction({ ...view, manualHandlingDoneBy: 'hanne' }, 'completeManualHandling', { actor: handler, comment: 'again' })).toMatchObject({ kind: 'not_allowed', rule: 'O-11' });
    expect(awaitsManualHandling({ ...view, manualHandling: false })).toBe(false);
    expect(awaitsManualHandling({ ...view, customerOrderId: 'COI-1' })).toBe(false);
  });

  it('O-8: equal references and a Project Reference on a Standard order are warnings, not refusals', () => {
    const d = draft({ references: { customerOrderRef: 'ABC-1', customerInvoiceRef: 'abc-1', projectReference: 'P-1' } });
    expect(validateOrderDraft(d, ctx()).filter((p) => p.rule === 'O-8')).toEqual([]);
    expect(orderDraftWarnings(d).map((w) => `${w.field}:${w.rule}`)).toEqual(['references.customerOrderRef:O-8', 'references.projectReference:O-8']);
  });

  it('C-1: Reopen while no line has reached Field Service and the order is not Rejected, Cancelled or Closed', () => {
    expect(reopenDecision('submitted', ['Registered', 'Design'])).toEqual({ allowed: true });
    expect(reopenDecision('submitted', ['Registered', 'Field Service']).allowed).toBe(false);
    expect(reopenDecision('submitted', ['Test']).reason).toMatch(/Test/);
    expect(reopenDecision('submitted', ['Rejected']).allowed).toBe(false);
    expect(reopenDecision('submitted', ['Cancelled', 'Cancelled']).allowed).toBe(false);
    expect(reopenDecision('submitted', ['Cancelled', 'Registered']).allowed).toBe(true);
    expect(reopenDecision('draft', ['New']).allowed).toBe(false);
    expect(allowedOrderActions('submitted', ['Registered'], customer)).toEqual(['reopen', 'cancel']);
    expect(allowedOrderActions('submitted', ['Field Service'], customer)).toEqual(['cancel']);
    expect(allowedOrderActions('draft', ['New'], reader)).toEqual([]);
  });

  it('O-20: an order left New is cancelled after 14 days (production value)', () => {
    expect(RULE_DURATIONS.orderAutoCancel).toEqual({ calendarDays: 14 });
  });
});

describe('domain/order-decisions.ts: one decision for the workflow validator and the API precheck', () => {
  const line = (status: LineStatus, kind: 'new' | 'switch_isp' = 'new') => ({ number: 'ORD-000001:1', status, kind, line: { booking: null } });

  it("O-15 / C-3 / C-6: a line's action is refused with its rule; a stale charge is refused; a switch-ISP line is cancelled through a service request", () => {
    expect(decideLineAction(line('Registered'), 'advance', { actor: handler, step: 'Ordered' })).toBeUndefined();
    expect(decideLineAction(line('Ordered'), 'advance', { actor: handler, step: 'Ordered' })).toMatchObject({ kind: 'not_allowed', rule: 'O-15' });
    expect(decideLineAction(line('Ordered'), 'cancel', { actor: customer, fee: { feeOre: 9500, atStatus: 'Registered' } })).toMatchObject({ kind: 'not_allowed', rule: 'C-3' });
    expect(decideLineAction(line('Registered', 'switch_isp'), 'cancel', { actor: customer, fee: { feeOre: 0, atStatus: 'Registered' } })).toMatchObject({ rule: 'C-6' });
    expect(decideLineAction(line('Ordered'), 'customerUpdate', { actor: customer })).toMatchObject({ rule: 'O-17' });
    expect(decideLineAction(line('Registered'), 'reject', { actor: handler })).toMatchObject({ kind: 'invalid', problems: [{ field: 'statusDescription' }] });
  });

  it('C-1: a line that reached Field Service refuses Reopen; a New one is reopened already', () => {
    expect(decideLineReopen(line('Ready'))).toBeUndefined();
    expect(decideLineReopen(line('New'))).toBeUndefined();
    expect(decideLineReopen(line('Field Service'))).toMatchObject({ rule: 'C-1' });
  });

  it('C-1 / C-3: the order: a draft is cancelled once; a submitted order needs the accepted charges; Reopen follows the lines', () => {
    const order = (phase: 'draft' | 'submitted' | 'cancelled', statuses: LineStatus[]) => ({
      ...draft(),
      number: 'ORD-000001',
      status: 'New',
      phase,
      startedLines: [],
      lines: statuses.map((s, i) => ({ ...draft().lines[0]!, lineNo: i + 1, status: s })),
    });
    expect(decideOrderAction(order('draft', ['New']), 'cancel')).toBeUndefined();
    expect(decideOrderAction(order('cancelled', ['Cancelled']), 'cancel')).toMatchObject({ rule: 'C-3' });
    expect(decideOrderAction(order('submitted', ['Registered']), 'cancel', { withFees: false })).toMatchObject({ rule: 'C-3' });
    expect(decideOrderAction(order('submitted', ['Registered']), 'cancel', { withFees: true })).toBeUndefined();
    expect(decideOrderAction(order('submitted', ['Registered']), 'reopen')).toBeUndefined();
    expect(decideOrderAction(order('submitted', ['Field Service']), 'reopen')).toMatchObject({ rule: 'C-1' });
    expect(decideOrderAction(order('submitted', ['Registered']), 'update')).toMatchObject({ rule: 'C-1' });
    expect(decideOrderAction(order('draft', ['New']), 'submit')).toBeUndefined();
  });

  it('O-12: a booked line refuses another address, not its own sent back with its keys in another order (as the database returns it)', () => {
    const address = { addressId: 'adr-0001', floor: '2', apartment: 'H0201' };
    const booked = {
      ...draft(),
      number: 'ORD-000001',
      status: 'New',
      phase: 'draft' as const,
      startedLines: [],
      lines: [{ ...draft().lines[0]!, lineNo: 1, status: 'New' as LineStatus, address, booking: { bookingId: 'B-1', slotId: 'S-1', date: '2027-01-04', window: '08-12' } }],
    };
    const sameReordered = { apartment: 'H0201', floor: '2', addressId: 'adr-0001' };
    expect(decideOrderAction(booked as never, 'update', { updateLines: [{ lineNo: 1, address: sameReordered }] })).toBeUndefined();
    expect(decideOrderAction(booked as never, 'update', { updateLines: [{ lineNo: 1, address: { ...address, floor: '3' } }] })).toMatchObject({ rule: 'O-12' });
  });

  it('O-9: a bulk step is for a submitted Project order and its submitted lines', () => {
    const project = (orderType: 'Project' | 'Standard', startedLines: number[]) => ({
      ...draft(),
      orderType,
      number: 'ORD-000002',
      status: 'In Process',
      phase: 'submitted' as const,
      startedLines,
      lines: [],
    });
    expect(decideOrderAction(project('Project', [1, 2]), 'bulk')).toBeUndefined();
    expect(decideOrderAction(project('Project', [1, 2]), 'bulk', { bulkLines: [2] })).toBeUndefined();
    expect(decideOrderAction(project('Standard', [1]), 'bulk')).toMatchObject({ kind: 'not_allowed', rule: 'O-9' });
    expect(decideOrderAction(project('Project', []), 'bulk')).toMatchObject({ kind: 'not_allowed', rule: 'O-14' });
    expect(decideOrderAction(project('Project', [1, 2]), 'bulk', { bulkLines: [3] })).toMatchObject({ kind: 'invalid', problems: [{ field: 'lineNos', rule: 'O-9' }] });
  });
});
