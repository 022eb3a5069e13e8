// The portfolio seed (M-1): built from the wholesaler's line data, so numbers, end users and
// operators match Kapaks, the order system and NRDB.
import { describe, expect, it } from 'vitest';
import { LINES } from '../../adapters/lines';
import { AUTHORISATIONS, NRDB_EXAMPLES } from '../../adapters/nrdb';
import { PRODUCT_CATALOG } from '../../adapters/price-list';
import { OPERATOR_OF_COMPANY, seedPortfolioRows } from '../../db/portfolio-seed';
import { isBroadband, isSwitchable } from '../../domain/portfolio';

describe('M-1: portfolio seed', () => {
  const rows = seedPortfolioRows();

  it('M-1: every line of the network is one current entry, with its number, end user and address', () => {
    expect(rows).toHaveLength(LINES.length);
    for (const [i, r] of rows.entries()) {
      const l = LINES[i]!;
      expect(r.lineId).toBe(l.lineId);
      expect(r.number).toBe(l.phoneNumber ?? l.circuitNumber);
      expect(r.endUser).toEqual(l.endUser);
      expect(r.productName).toBe(PRODUCT_CATALOG.get(l.productCode)!.name);
      expect(r.startDate < '2026-07-01').toBe(true);
    }
  });

  it('M-1: both seed companies hold products, broadband among them; the rest stay with their operator', () => {
    for (const company of ['nordnett', 'fjordtel']) {
      const own = rows.filter((r) => r.companyId === company);
      expect(own.length).toBeGreaterThan(10);
      expect(own.every((r) => r.operator === OPERATOR_OF_COMPANY[company])).toBe(true);
      expect(own.some((r) => isBroadband(PRODUCT_CATALOG.get(r.productCode)!))).toBe(true);
    }
    for (const r of rows.filter((x) => x.companyId === null)) {
      expect(r.operator).toBe(LINES.find((l) => l.lineId === r.lineId)!.operator);
    }
  });

  it('I-3 / I-4: the documented anchors and every line with an NRDB authorisation stay with other operators', () => {
    const authorised = new Set(AUTHORISATIONS.map((a) => a.lineId));
    for (const r of rows.filter((x) => authorised.has(x.lineId) || Number(x.addressId.slice(4)) <= 10)) expect(r.companyId).toBeNull();
    const nora = rows.find((r) => r.lineId === NRDB_EXAMPLES.valid.lineId)!;
    expect(nora).toMatchObject({ companyId: null, operator: 'Telenor', productCode: 'ONLINE-ADSL', number: NRDB_EXAMPLES.valid.phoneNumber });
    expect(isSwitchable(PRODUCT_CATALOG.get(nora.productCode)!)).toBe(true);
  });

  it('M-1: the seed is deterministic', () => {
    expect(seedPortfolioRows()).toEqual(rows);
  });
});
