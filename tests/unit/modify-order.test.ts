// Change orders (Modify) from a portfolio product: the pure rules (M-1, O-13, O-6, O-10, O-19).
import { describe, expect, it } from 'vitest';
import { PRODUCT_CATALOG } from '../../adapters/price-list';
import { type LineModification, modifyDuplicateKey, modifyOpenKey, modifyRequestProblems, portfolioChangeOf } from '../../domain/modify-order';
import { duplicateKey, ORDER_KINDS } from '../../domain/order';
import { type DraftLine, type OrderDraft, type OrderProblem, type ValidationContext, validateOrderDraft } from '../../domain/order-validation';

const TODAY = '2026-03-02';
const END_USER = { kind: 'person' as const, name: 'Siri Testesen', birthDate: '1985-05-05' };

function modification(change: LineModification['change'], over: Partial<LineModification['current']> = {}): LineModification {
  return {
    change,
    portfolioEntryId: '6f1c1a52-5d7e-4a8e-9d61-1c2b3a4d5e6f',
    number: '22604411',
    lineId: 'LIN-000123',
    current: { productCode: 'JARA-ADSL-DELT', speedMbps: 8, equipment: null, address: { addressId: 'adr-0042', label: 'Kirkegata 1, 0153 OSLO' }, endUser: END_USER, ...over },
  };
}

function line(m: LineModification, over: Partial<DraftLine> = {}): DraftLine {
  return {
    lineNo: 1,
    endUser: END_USER,
    address: { ...m.current.address },
    addressB: null,
    attachments: [],
    lookup: null,
    availability: null,
    booking: null,
    quoteLine: null,
    price: null,
    status: 'New',
    modification: m,
    ...over,
  };
}

function draft(change: LineModification['change'], over: Partial<OrderDraft> = {}, lineOver: Partial<DraftLine> = {}): OrderDraft {
  const m = modification(change);
  return {
    kind: 'modify',
    orderType: 'Standard',
    productCode: 'JARA-ADSL-DELT',
    speedMbps: change === 'speed' ? 16 : 8,
    equipment: change === 'equipment' ? 'Zyxel VMG8825 router' : null,
    requestedDate: '2026-03-20',
    contact: { name: 'Kari Nordmann', phone: '91234567' },
    references: {},
    lines: [line(m, lineOver)],
    ...over,
  };
}

const ctx = (over: Partial<ValidationContext> = {}): ValidationContext => ({ today: TODAY, product: PRODUCT_CATALOG.get('JARA-ADSL-DELT'), lineFacts: {}, ...over });
const at = (ps: OrderProblem[]) => ps.map((p) => `${p.field}:${p.rule}`);
/** O-13 as the caller finds it for this end user: the very product the line changes. */
/** O-13: the end user has an access line from another provider (the API reports nothing of the company's own lines). */
const otherAccess = { existingAccess: { holder: 'other' as const, sameAddress: true } };

describe('M-1, O-13: a change order is an order kind', () => {
  it("O-13: 'modify' is one of the order kinds", () => expect(ORDER_KINDS).toContain('modify'));
});

describe('G-1: the change order request names every missing or misplaced field', () => {
  it('each change needs its own field', () => {
    expect(at(modifyRequestProblems({ change: 'speed' }))).toEqual(['speedMbps:O-6']);
    expect(at(modifyRequestProblems({ change: 'equipment' }))).toEqual(['equipment:O-6']);
    expect(at(modifyRequestProblems({ change: 'move' }))).toEqual(['newAddress:O-3']);
    expect(modifyRequestProblems({ change: 'move', newAddress: { addressId: 'adr-0069' } })).toEqual([]);
  });
  it("O-13: a change order makes one change: another change's field is refused", () => {
    expect(at(modifyRequestProblems({ change: 'speed', speedMbps: 16, equipment: 'router', newAddress: { addressId: 'adr-0069' } }))).toEqual(['equipment:O-13', 'newAddress:O-13']);
  });
});

describe('O-6, O-10, O-13: validating a change order (inside validateOrderDraft)', () => {
  it('O-10, O-13: a speed change on the product needs no availability check and is not refused as a new order', () => {
    const ownHere = { existingAccess: { holder: 'own' as const, number: modification('speed').number, productCode: 'JARA-ADSL-DELT' } };
    expect(validateOrderDraft(draft('speed'), ctx({ lineFacts: { 1: ownHere } }))).toEqual([]);
    expect(validateOrderDraft(draft('equipment'), ctx({ lineFacts: { 1: ownHere } }))).toEqual([]);
  });

  it("O-13: an access line of the end user's from another provider is still refused", () => {
    expect(at(validateOrderDraft(draft('speed'), ctx({ lineFacts: { 1: otherAccess } })))).toEqual(['lines.0.endUser:O-13']);
  });

  it('O-13: a NEW order for the same end user is refused as before', () => {
    const m = modification('speed');
    const asNew: OrderDraft = { ...draft('speed'), kind: 'new', lines: [line(m, { modification: null, availability: null })] };
    expect(at(validateOrderDraft(asNew, ctx({ lineFacts: { 1: otherAccess } })))).toEqual(['lines.0.availability:O-10', 'lines.0.endUser:O-13']);
  });

  it('O-6: the same speed, a speed the product does not offer, a missing speed', () => {
    expect(at(validateOrderDraft(draft('speed', { speedMbps: 8 }), ctx()))).toEqual(['speedMbps:O-6']);
    expect(validateOrderDraft(draft('speed', { speedMbps: 8 }), ctx())[0]!.message).toMatch(/already runs at 8 Mbit\/s/);
    expect(validateOrderDraft(draft('speed', { speedMbps: 50 }), ctx())[0]!.message).toMatch(/offered at 2, 8, 16, 24/);
    expect(at(validateOrderDraft(draft('speed', { speedMbps: null }), ctx()))).toEqual(['speedMbps:O-6']);
  });

  it('O-6: a product without speed has no speed to change', () => {
    const d = draft('speed', { productCode: 'PSTN', speedMbps: null }, {});
    d.lines[0]!.modification!.current = { ...d.lines[0]!.modification!.current, productCode: 'PSTN', speedMbps: null };
    expect(validateOrderDraft(d, ctx({ product: PRODUCT_CATALOG.get('PSTN') })).map((p) => p.message)).toEqual([`${PRODUCT_CATALOG.get('PSTN')!.name} has no speed to change`]);
  });

  it('O-6: equipment must be given and differ from the current one', () => {
    expect(at(validateOrderDraft(draft('equipment', { equipment: '  ' }), ctx()))).toEqual(['equipment:O-6']);
    const d = draft('equipment', { equipment: 'Zyxel router' });
    d.lines[0]!.modification!.current.equipment = 'zyxel router ';
    expect(at(validateOrderDraft(d, ctx()))).toEqual(['equipment:O-6']);
  });

  it('O-13: only the one change: speed, equipment and address stay unless they are the change', () => {
    expect(at(validateOrderDraft(draft('equipment', { speedMbps: 24 }), ctx()))).toEqual(['speedMbps:O-13']);
    expect(at(validateOrderDraft(draft('speed', { equipment: 'router' }), ctx()))).toEqual(['equipment:O-13']);
    expect(at(validateOrderDraft(draft('speed', {}, { address: { addressId: 'adr-0069' } }), ctx()))).toEqual(['lines.0.address:O-13']);
    expect(at(validateOrderDraft(draft('speed', { productCode: 'JARA-ADSL-FULL' }), ctx({ product: PRODUCT_CATALOG.get('JARA-ADSL-FULL') })))).toEqual(['productCode:O-13']);
    expect(at(validateOrderDraft(draft('speed', {}, { endUser: { kind: 'person', name: 'Ola Testesen', birthDate: '1980-01-01' } }), ctx()))).toEqual(['lines.0.endUser:M-1']);
  });

  it('O-10, O-13: a move needs a register address other than the current one, and the availability check there', () => {
    expect(at(validateOrderDraft(draft('move', {}, { address: { addressId: 'adr-0042' } }), ctx()))).toEqual(['lines.0.availability:O-10', 'lines.0.address.addressId:O-13']);
    expect(at(validateOrderDraft(draft('move', {}, { address: { insa: 'OSL-INSA-0042' } }), ctx()))).toEqual(['lines.0.availability:O-10', 'lines.0.address.addressId:O-3']);
    expect(at(validateOrderDraft(draft('move', {}, { address: { addressId: 'adr-0069' } }), ctx({ lineFacts: { 1: { registerAddress: { known: true, postBox: false } } } })))).toEqual([
      'lines.0.availability:O-10',
    ]);
  });

  it('M-1: a product that ended meanwhile cannot be changed', () => {
    expect(at(validateOrderDraft(draft('speed'), ctx({ lineFacts: { 1: { modifiedEntryActive: false } } })))).toEqual(['lines.0.modification:M-1']);
  });

  it('O-13: every line of a change order refers to a product', () => {
    const d = draft('speed');
    d.lines[0]!.modification = null;
    // without a product to change it is treated like a new line (availability required) and refused
    expect(at(validateOrderDraft(d, ctx()))).toEqual(['lines.0.availability:O-10', 'lines.0:O-13']);
  });
});

describe('O-19: change orders are duplicates only of change orders on the same product', () => {
  it('O-19: the key names the product, not the address', () => {
    expect(modifyDuplicateKey('nordnett', '22604411')).toBe('dup|nordnett|modify|22604411');
    expect(modifyDuplicateKey('nordnett', '22604411')).not.toBe(duplicateKey('nordnett', 'id:adr-0042', 'JARA-ADSL-DELT', 16));
    expect(modifyOpenKey('22604411')).toBe('modify|22604411');
  });
});

describe('M-1: the portfolio change of a Finished change order', () => {
  const base = { caseId: 'order-line:ORD-000042:1', companyId: 'nordnett' };
  it('M-1: a speed change keeps address and equipment and takes the new speed', () => {
    const m = modification('speed');
    expect(portfolioChangeOf({ ...base, speedMbps: 16, equipment: null, line: line(m) }, '2026-04-01')).toEqual({
      sourceCaseId: 'order-line:ORD-000042:1',
      companyId: 'nordnett',
      entryId: m.portfolioEntryId,
      change: 'speed',
      number: '22604411',
      speedMbps: 16,
      equipment: null,
      address: { id: 'adr-0042', label: 'Kirkegata 1, 0153 OSLO' },
      date: '2026-04-01',
    });
  });
  it('M-1: a move takes the new address; an equipment change the new equipment', () => {
    const move = modification('move');
    expect(portfolioChangeOf({ ...base, speedMbps: 8, equipment: null, line: line(move, { address: { addressId: 'adr-0069', label: 'Kirkegata 28' } }) }, '2026-04-01')).toMatchObject({
      change: 'move',
      speedMbps: 8,
      address: { id: 'adr-0069', label: 'Kirkegata 28' },
    });
    const eq = modification('equipment');
    expect(portfolioChangeOf({ ...base, speedMbps: 8, equipment: ' Zyxel router ', line: line(eq) }, '2026-04-01')).toMatchObject({
      change: 'equipment',
      equipment: 'Zyxel router',
      address: { id: 'adr-0042' },
    });
  });
  it('M-1: a line that is not a change order changes no entry', () => {
    expect(portfolioChangeOf({ ...base, speedMbps: 8, equipment: null, line: { address: { addressId: 'adr-0042' }, modification: null } }, '2026-04-01')).toBeUndefined();
  });
});

describe('C-6, slide 64: product conversion and swap through Modify', () => {
  it("C-6: change 'product' makes an order of kind product_swap; every other change a 'modify'", async () => {
    const { orderKindOfChange, isChangeOrderKind, modifyRequestProblems } = await import('../../domain/modify-order');
    expect(orderKindOfChange('product')).toBe('product_swap');
    expect(orderKindOfChange('speed')).toBe('modify');
    expect(isChangeOrderKind('product_swap')).toBe(true);
    expect(isChangeOrderKind('new')).toBe(false);
    // the new product's speed comes with a product change; the product is required
    expect(modifyRequestProblems({ change: 'product', productCode: 'JARA-ADSL-FULL', speedMbps: 8 })).toEqual([]);
    expect(modifyRequestProblems({ change: 'product' })).toEqual([expect.objectContaining({ field: 'productCode', message: expect.stringMatching(/^required/) })]);
    expect(modifyRequestProblems({ change: 'speed', speedMbps: 8, productCode: 'OPA-DELT' })).toEqual([expect.objectContaining({ field: 'productCode', rule: 'O-13' })]);
  });
});
