import { describe, expect, it } from 'vitest';
import { AddressRegisterSimulator } from '../../../adapters/address-register';
import { AdapterRejectedError, AdapterTimeoutError, AdapterUnavailableError } from '../../../adapters/faults';
import { KAPAKS_EXAMPLES, KapaksSimulator } from '../../../adapters/kapaks';
import { findLineByNumber, LINES, normaliseNumber } from '../../../adapters/lines';
import { ADDRESSES } from '../../../adapters/address-register';

const make = () => {
  const addresses = new AddressRegisterSimulator({ faults: { latencyMs: [0, 0] } });
  return { addresses, kapaks: new KapaksSimulator({ addresses, faults: { latencyMs: [0, 0] } }) };
};

describe('lines data (shared by Kapaks, O-4, switch-ISP)', () => {
  it('a few hundred lines, unique ids and numbers, every line at a known non-post-box address', () => {
    expect(LINES.length).toBeGreaterThanOrEqual(200);
    expect(new Set(LINES.map((l) => l.lineId)).size).toBe(LINES.length);
    const numbers = LINES.map((l) => l.phoneNumber ?? l.circuitNumber);
    expect(new Set(numbers).size).toBe(LINES.length);
    const byId = new Map(ADDRESSES.map((a) => [a.id, a]));
    for (const l of LINES) {
      const a = byId.get(l.addressId);
      expect(a, l.lineId).toBeDefined();
      expect(a?.postBox).not.toBe(true);
      expect(Boolean(l.phoneNumber) !== Boolean(l.circuitNumber)).toBe(true);
    }
  });

  it('O-2: end users are persons with birth date or companies with a valid organisation number (mod 11)', () => {
    for (const l of LINES) {
      if (l.endUser.kind === 'person') expect(l.endUser.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      else {
        const d = [...l.endUser.orgNumber].map(Number);
        const sum = d.slice(0, 8).reduce((s, x, i) => s + x * ([3, 2, 7, 6, 5, 4, 3, 2][i] ?? 0), 0);
        expect((11 - (sum % 11)) % 11, l.endUser.orgNumber).toBe(d[8]);
      }
    }
  });

  it('several addresses have 2–3 lines', () => {
    const counts = new Map<string, number>();
    for (const l of LINES) counts.set(l.addressId, (counts.get(l.addressId) ?? 0) + 1);
    expect([...counts.values()].filter((n) => n >= 2).length).toBeGreaterThanOrEqual(10);
    expect(counts.get(KAPAKS_EXAMPLES.multiLineAddressId)).toBe(2);
    expect(counts.get(KAPAKS_EXAMPLES.threeLineAddressId)).toBe(3);
  });

  it('number look-up tolerates spaces and +47; circuits are case-insensitive', () => {
    expect(normaliseNumber('+47 22 60 44 11')).toBe('22604411');
    expect(findLineByNumber('22 60 44 11')?.lineId).toBe('LIN-000001');
    expect(findLineByNumber('osl-893637')?.lineId).toBe('LIN-000004');
    expect(findLineByNumber('99999999')).toBeUndefined();
  });
});

describe('O-10 Kapaks availability check', () => {
  it('O-10: green example — Jara ADSL on a short copper loop in zone 1', async () => {
    const { kapaks } = make();
    const g = KAPAKS_EXAMPLES.green;
    const [line, ...rest] = await kapaks.check({ phoneNumber: g.phoneNumber, productCode: g.productCode });
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ lineId: g.lineId, phoneNumber: g.phoneNumber, addressId: g.addressId, addressLabel: 'Kirkeveien 64B, H0201, 0364 OSLO', colour: 'green' });
    expect(line?.yellowKind).toBeUndefined();
  });

  it('O-10: yellow example — system error: technician cannot be booked, may submit (any product)', async () => {
    const { kapaks } = make();
    const y = KAPAKS_EXAMPLES.yellow;
    for (const productCode of ['PSTN', 'JARA-ADSL-DELT', 'ISDN']) {
      const [line] = await kapaks.check({ phoneNumber: y.phoneNumber, productCode });
      expect(line).toMatchObject({ lineId: y.lineId, colour: 'yellow', yellowKind: 'system_error' });
      expect(line?.reason).toMatch(/system error/i);
    }
  });

  it('O-10: yellow example — no clear answer for ADSL on a marginal loop (book technician yourself)', async () => {
    const { kapaks } = make();
    const y = KAPAKS_EXAMPLES.yellowUnclear;
    const [line] = await kapaks.check({ phoneNumber: y.phoneNumber, productCode: y.productCode });
    expect(line).toMatchObject({ colour: 'yellow', yellowKind: 'unclear' });
    // the same line is fine for PSTN
    expect((await kapaks.check({ phoneNumber: y.phoneNumber, productCode: 'PSTN' }))[0]?.colour).toBe('green');
  });

  it('O-10: red example — ADSL cannot be delivered in zone 3; PSTN on the same line is green', async () => {
    const { kapaks } = make();
    const r = KAPAKS_EXAMPLES.red;
    const [line] = await kapaks.check({ phoneNumber: r.phoneNumber, productCode: r.productCode });
    expect(line).toMatchObject({ lineId: r.lineId, colour: 'red' });
    expect(line?.reason).toMatch(/coverage/i);
    expect((await kapaks.check({ phoneNumber: r.phoneNumber, productCode: 'JARA-SHDSL' }))[0]?.colour).toBe('red');
    expect((await kapaks.check({ phoneNumber: r.phoneNumber, productCode: 'PSTN' }))[0]?.colour).toBe('green');
  });

  it('O-10: a fibre circuit found by circuit number is red for copper products', async () => {
    const { kapaks } = make();
    const c = KAPAKS_EXAMPLES.circuit;
    const [line] = await kapaks.check({ circuitNumber: c.circuitNumber, productCode: 'OPA-FULL' });
    expect(line).toMatchObject({ lineId: c.lineId, circuitNumber: c.circuitNumber, addressId: c.addressId, colour: 'red' });
  });

  it('O-10: answers are deterministic (same question, same colour and reason)', async () => {
    const a = make().kapaks;
    const b = make().kapaks;
    for (const l of LINES.slice(0, 60)) {
      const q = l.phoneNumber ? { phoneNumber: l.phoneNumber, productCode: 'JARA-ADSL-DELT' } : { circuitNumber: l.circuitNumber ?? '', productCode: 'JARA-ADSL-DELT' };
      expect(await a.check(q)).toEqual(await b.check(q));
    }
  });

  it('O-10: every colour occurs across the data for ADSL', async () => {
    const { kapaks } = make();
    const colours = new Set<string>();
    for (const l of LINES.filter((x) => x.phoneNumber).slice(0, 200)) {
      for (const a of await kapaks.check({ phoneNumber: l.phoneNumber ?? '', productCode: 'JARA-ADSL-FULL' })) colours.add(a.colour);
    }
    expect([...colours].sort()).toEqual(['green', 'red', 'yellow']);
  });

  it("O-10: an address search returns several lines; the address's own lines first, then the building's", async () => {
    const { kapaks } = make();
    const lines = await kapaks.check({ addressId: KAPAKS_EXAMPLES.multiLineAddressId, productCode: 'JARA-ADSL-DELT' });
    expect(lines.map((l) => l.lineId)).toEqual(['LIN-000001', 'LIN-000002', 'LIN-000003']);
    expect(lines.map((l) => l.addressId)).toEqual(['adr-0001', 'adr-0001', 'adr-0002']);
    expect(lines[2]?.addressLabel).toBe('Kirkeveien 64B, H0202, 0364 OSLO');
    const three = await kapaks.check({ addressId: KAPAKS_EXAMPLES.threeLineAddressId, productCode: 'PSTN' });
    expect(three).toHaveLength(3);
    expect(three.map((l) => l.colour).sort()).toEqual(['green', 'green', 'red']); // the fibre circuit is red
  });

  it('O-10: an address without lines gets one answer for a new pair', async () => {
    const { kapaks } = make();
    const [only, ...rest] = await kapaks.check({ addressId: KAPAKS_EXAMPLES.noLineAddressId, productCode: 'JARA-ADSL-DELT' });
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ lineId: `NEW-${KAPAKS_EXAMPLES.noLineAddressId}`, colour: 'green' });
  });

  it('O-10: phone/circuit unknown, unknown or post-box address, capacity products → AdapterRejectedError', async () => {
    const { kapaks } = make();
    await expect(kapaks.check({ phoneNumber: '99999999', productCode: 'PSTN' })).rejects.toBeInstanceOf(AdapterRejectedError);
    await expect(kapaks.check({ circuitNumber: 'OSL-000000', productCode: 'PSTN' })).rejects.toBeInstanceOf(AdapterRejectedError);
    await expect(kapaks.check({ addressId: 'adr-9999', productCode: 'PSTN' })).rejects.toBeInstanceOf(AdapterRejectedError);
    await expect(kapaks.check({ addressId: 'adr-0011', productCode: 'PSTN' })).rejects.toBeInstanceOf(AdapterRejectedError);
    await expect(kapaks.check({ addressId: 'adr-0003', productCode: 'SAMB-ETH' })).rejects.toBeInstanceOf(AdapterRejectedError);
    await expect(kapaks.check({ addressId: 'adr-0003', productCode: 'TELELOSJI' })).rejects.toBeInstanceOf(AdapterRejectedError);
    await expect(kapaks.check({ addressId: 'adr-0003', productCode: 'NOPE' })).rejects.toBeInstanceOf(AdapterRejectedError);
  });

  it("O-4: look up end user and address by the existing line's number", async () => {
    const { kapaks } = make();
    const { line, address } = await kapaks.lookupLine({ phoneNumber: '22171903' });
    expect(line.endUser).toEqual({ kind: 'person', name: 'Nora Bakken', birthDate: '1991-06-23' });
    expect(line.operator).toBe('Telenor');
    expect(address.label).toBe('Storgata 10A, H0101, 0155 OSLO');
    await expect(kapaks.lookupLine({ phoneNumber: '11111111' })).rejects.toBeInstanceOf(AdapterRejectedError);
  });
});

describe('O-11 Kapaks time-outs and errors', () => {
  it('O-11: timeoutRate 1 → AdapterTimeoutError after timeoutMs; a retry succeeds once switched off', async () => {
    const { kapaks } = make();
    kapaks.faults.set({ timeoutRate: 1, timeoutMs: 10 });
    const g = KAPAKS_EXAMPLES.green;
    await expect(kapaks.check({ phoneNumber: g.phoneNumber, productCode: g.productCode })).rejects.toBeInstanceOf(AdapterTimeoutError);
    kapaks.faults.set({ timeoutRate: 0 });
    expect((await kapaks.check({ phoneNumber: g.phoneNumber, productCode: g.productCode }))[0]?.colour).toBe('green');
  });

  it('errorRate 1 → AdapterUnavailableError', async () => {
    const { kapaks } = make();
    kapaks.faults.set({ errorRate: 1 });
    await expect(kapaks.check({ addressId: 'adr-0001', productCode: 'PSTN' })).rejects.toBeInstanceOf(AdapterUnavailableError);
  });

  it('a time-out of the address register behind Kapaks surfaces as a Kapaks time-out', async () => {
    const { kapaks, addresses } = make();
    addresses.faults.set({ timeoutRate: 1, timeoutMs: 5 });
    const err = await kapaks.check({ addressId: 'adr-0001', productCode: 'PSTN' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterTimeoutError);
    expect((err as Error).message).toContain('kapaks.check');
  });
});
