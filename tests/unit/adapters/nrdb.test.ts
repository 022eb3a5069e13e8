import { describe, expect, it } from 'vitest';
import { AdapterTimeoutError } from '../../../adapters/faults';
import { findLineById, findLineByNumber, LINES } from '../../../adapters/lines';
import { AUTHORISATIONS, NRDB_EXAMPLES, NrdbSimulator } from '../../../adapters/nrdb';

const fast = () => new NrdbSimulator({ faults: { latencyMs: [0, 0] } });

describe('X-5 NRDB authorisations (I-4)', () => {
  it('every authorisation points at an existing switchable line and carries its current owner', () => {
    expect(AUTHORISATIONS.length).toBeGreaterThanOrEqual(30);
    for (const a of AUTHORISATIONS) {
      const line = findLineById(a.lineId);
      expect(line, a.reference).toBeDefined();
      // ADSL or operator access (with an access type), or SHDSL (switched too: slide 65, "21 dager på Jara SHDSL")
      expect(line?.accessType !== undefined || line?.productCode === 'JARA-SHDSL').toBe(true); // ADSL or operator access (I-1)
      expect(a.ownerName).toBe(line?.endUser.name);
      expect(a.phoneNumber).toBe(line?.phoneNumber);
      expect(a.reference).toMatch(/^NRDB-\d{4}-\d{6}$/);
      expect(a.validUntil > a.issuedAt).toBe(true);
    }
    expect(new Set(AUTHORISATIONS.map((a) => a.reference)).size).toBe(AUTHORISATIONS.length);
  });

  it('I-4: valid example — authorised by the current owner of the line', async () => {
    const a = await fast().lookup(NRDB_EXAMPLES.valid.reference);
    expect(a).toMatchObject({
      lineId: NRDB_EXAMPLES.valid.lineId,
      phoneNumber: NRDB_EXAMPLES.valid.phoneNumber,
      ownerName: 'Nora Bakken',
      authorisedBy: 'Nora Bakken',
      validUntil: NRDB_EXAMPLES.valid.validUntil,
    });
  });

  it('I-4: not-the-owner example — authorisedBy differs from the owner at the losing operator', async () => {
    const a = await fast().lookup(NRDB_EXAMPLES.notOwner.reference);
    expect(a?.authorisedBy).toBe(NRDB_EXAMPLES.notOwner.authorisedBy);
    expect(a?.ownerName).toBe(NRDB_EXAMPLES.notOwner.ownerName);
    expect(a?.authorisedBy).not.toBe(a?.ownerName);
  });

  it('I-4: wrong-subscription example — the reference belongs to another line than the ordered one', async () => {
    const ex = NRDB_EXAMPLES.wrongSubscription;
    const a = await fast().lookup(ex.reference);
    expect(a?.lineId).toBe(ex.authorisedLineId);
    expect(a?.phoneNumber).toBe(ex.authorisedPhoneNumber);
    const ordered = findLineByNumber(ex.orderPhoneNumber);
    expect(ordered?.lineId).toBe(ex.orderLineId);
    expect(ordered?.lineId).not.toBe(a?.lineId);
    expect(ordered?.accessType).toBeDefined();
  });

  it('I-4: expired example — validUntil lies in the past', async () => {
    const a = await fast().lookup(NRDB_EXAMPLES.expired.reference);
    expect(a?.validUntil).toBe(NRDB_EXAMPLES.expired.validUntil);
    expect((a?.validUntil ?? '9999-12-31') < '2026-11-01').toBe(true);
    expect(a?.authorisedBy).toBe(a?.ownerName);
  });

  it('unknown reference → undefined; look-up is case- and whitespace-tolerant', async () => {
    await expect(fast().lookup(NRDB_EXAMPLES.unknown)).resolves.toBeUndefined();
    expect((await fast().lookup(` ${NRDB_EXAMPLES.valid.reference.toLowerCase()} `))?.reference).toBe(NRDB_EXAMPLES.valid.reference);
  });

  it('there are lines without authorisation (a switch then cannot be registered)', () => {
    const authorised = new Set(AUTHORISATIONS.map((a) => a.lineId));
    expect(LINES.filter((l) => l.accessType && !authorised.has(l.lineId)).length).toBeGreaterThan(0);
  });

  it('timeoutRate 1 → AdapterTimeoutError', async () => {
    const n = fast();
    n.faults.set({ timeoutRate: 1, timeoutMs: 5 });
    await expect(n.lookup(NRDB_EXAMPLES.valid.reference)).rejects.toBeInstanceOf(AdapterTimeoutError);
  });
});
