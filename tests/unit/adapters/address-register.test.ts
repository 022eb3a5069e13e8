import { describe, expect, it } from 'vitest';
import { ADDRESSES, ADDRESS_EXAMPLES, AddressRegisterSimulator, haversineMeters, type Address } from '../../../adapters/address-register';
import { AdapterRejectedError, AdapterTimeoutError, AdapterUnavailableError } from '../../../adapters/faults';

const fast = () => new AddressRegisterSimulator({ faults: { latencyMs: [0, 0] } });

describe('address register data (X-1)', () => {
  it('holds a few hundred addresses with unique stable ids', () => {
    expect(ADDRESSES.length).toBeGreaterThanOrEqual(300);
    expect(ADDRESSES.length).toBeLessThanOrEqual(400);
    expect(new Set(ADDRESSES.map((a) => a.id)).size).toBe(ADDRESSES.length);
    expect(ADDRESSES[0]?.label).toBe('Kirkeveien 64B, H0201, 0364 OSLO');
  });

  it('covers all three connection zones, cadastral-only, INSA-only and post-box sites', () => {
    const zones = new Set(ADDRESSES.map((a) => a.zone));
    expect([...zones].sort()).toEqual([1, 2, 3]);
    expect(ADDRESSES.filter((a) => !a.street && !a.insa && a.cadastral).length).toBe(15);
    expect(ADDRESSES.filter((a) => a.insa && !a.street).length).toBe(10);
    expect(ADDRESSES.filter((a) => a.postBox).length).toBeGreaterThanOrEqual(3);
    for (const a of ADDRESSES.filter((x) => x.insa)) expect(a.insa).toMatch(/^[A-Z]{3,4}-INSA-\d{4}$/);
  });

  it('the documented examples exist and say what they claim', async () => {
    const r = fast();
    const get = async (id: string) => {
      const a = await r.get(id);
      if (!a) throw new Error(`missing ${id}`);
      return a;
    };
    expect((await get(ADDRESS_EXAMPLES.karlJohans22)).zone).toBe(1);
    expect((await get(ADDRESS_EXAMPLES.kirkegata15Oslo)).zone).toBe(1);
    expect((await get(ADDRESS_EXAMPLES.trondheimsveien235)).zone).toBe(2);
    expect((await get(ADDRESS_EXAMPLES.sognefjellsvegen12Lom)).zone).toBe(3);
    expect((await get(ADDRESS_EXAMPLES.postBox)).postBox).toBe(true);
    const cad = await get(ADDRESS_EXAMPLES.cadastralOnly);
    expect(cad.street).toBeUndefined();
    expect(cad.cadastral).toEqual({ municipalityNo: '3434', gnr: 45, bnr: 3 });
    expect((await get(ADDRESS_EXAMPLES.insaOnly)).insa).toBe(ADDRESS_EXAMPLES.insaSignature);
    expect((await get(ADDRESS_EXAMPLES.cadastralNoCoordinates)).approximatePosition).toBe(true);
  });

  it('get() returns a copy: callers cannot corrupt the register', async () => {
    const r = fast();
    const a = await r.get('adr-0016');
    if (!a?.cadastral) throw new Error('expected cadastral');
    a.cadastral.gnr = 999;
    a.label = 'changed';
    const again = await r.get('adr-0016');
    expect(again?.cadastral?.gnr).toBe(45);
    expect(again?.label).toBe('Gnr. 45 Bnr. 3, 2686 LOM');
  });

  it('get() of an unknown id is undefined', async () => {
    await expect(fast().get('adr-9999')).resolves.toBeUndefined();
  });
});

describe('Q-3 address search', () => {
  const labels = (as: Address[]) => as.map((a) => a.label);

  it('Q-3: "kirke" finds Kirkeveien (and Kirkegata), case-insensitively', async () => {
    const r = fast();
    for (const street of ['kirke', 'KIRKE', 'Kirke']) {
      const hits = await r.search({ street, limit: 200 });
      const streets = new Set(hits.map((a) => a.street));
      expect(streets.has('Kirkeveien')).toBe(true);
      expect(streets.has('Kirkegata')).toBe(true);
      expect([...streets].every((s) => s?.toLowerCase().startsWith('kirke'))).toBe(true);
    }
  });

  it('Q-3: street, house number and town give the best hits (exact number first)', async () => {
    const hits = await fast().search({ street: 'Kirkeveien', houseNumber: 64, town: 'oslo' });
    expect(hits[0]?.id).toBe(ADDRESS_EXAMPLES.kirkeveien64B);
    expect(hits[1]?.id).toBe(ADDRESS_EXAMPLES.kirkeveien64BNeighbour);
    expect(hits.slice(0, 2).every((a) => a.houseNumber === 64)).toBe(true);
    // other numbers follow, nearest first
    const rest = hits.slice(2).map((a) => Math.abs((a.houseNumber ?? 0) - 64));
    expect(rest[0]).toBeLessThanOrEqual(rest[rest.length - 1] ?? 0);
  });

  it('Q-3: the town decides between streets of the same name (Kirkegata 15 in Oslo and in Stavanger)', async () => {
    const r = fast();
    const both = await r.search({ street: 'Kirkegata', houseNumber: 15 });
    expect(
      both
        .slice(0, 2)
        .map((a) => a.id)
        .sort(),
    ).toEqual([ADDRESS_EXAMPLES.kirkegata15Oslo, ADDRESS_EXAMPLES.kirkegata15Stavanger].sort());
    const stavanger = await r.search({ street: 'Kirkegata', houseNumber: 15, town: 'Stavanger' });
    expect(stavanger[0]?.id).toBe(ADDRESS_EXAMPLES.kirkegata15Stavanger);
    expect(stavanger.every((a) => a.town === 'STAVANGER')).toBe(true);
  });

  it('Q-3: partial names inside the street, abbreviations and æøå folding', async () => {
    const r = fast();
    expect((await r.search({ street: 'johans gate' })).every((a) => a.street === 'Karl Johans gate')).toBe(true);
    expect((await r.search({ street: 'karl johans gt', houseNumber: 22 }))[0]?.id).toBe(ADDRESS_EXAMPLES.karlJohans22);
    expect((await r.search({ street: 'kirkegt', houseNumber: 15, town: 'Oslo' }))[0]?.id).toBe(ADDRESS_EXAMPLES.kirkegata15Oslo);
    const sorkedal = await r.search({ street: 'sorkedalsveien' });
    expect(sorkedal.length).toBeGreaterThan(0);
    expect(sorkedal.every((a) => a.street === 'Sørkedalsveien')).toBe(true);
  });

  it('Q-3: not every field is needed (postcode alone, town alone, house number alone)', async () => {
    const r = fast();
    const byPostcode = await r.search({ postcode: '0364' });
    expect(byPostcode.length).toBeGreaterThan(2);
    expect(byPostcode.every((a) => a.postcode === '0364')).toBe(true);
    const byTown = await r.search({ town: 'tromsø', limit: 200 });
    expect(byTown.length).toBeGreaterThan(5);
    expect(byTown.every((a) => a.municipality === 'Tromsø')).toBe(true);
    const byNumber = await r.search({ houseNumber: 64 });
    expect(byNumber.every((a) => a.houseNumber === 64)).toBe(true);
  });

  it('Q-3: a street that does not exist gives no hits', async () => {
    await expect(fast().search({ street: 'Finnesikkeveien' })).resolves.toEqual([]);
  });

  it('Q-3: cadastral reference (gnr/bnr) identifies a site without street address', async () => {
    const r = fast();
    const hits = await r.search(ADDRESS_EXAMPLES.cadastralQuery);
    expect(hits.map((a) => a.id)).toEqual([ADDRESS_EXAMPLES.cadastralOnly]);
    expect(hits[0]?.label).toBe('Gnr. 45 Bnr. 3, 2686 LOM');
    // gnr in another municipality is another site
    await expect(r.search({ gnr: 45, bnr: 3, municipalityNo: '0301' })).resolves.toEqual([]);
  });

  it('Q-3: INSA signature identifies a site, case-insensitively', async () => {
    const hits = await fast().search({ insa: 'oslo-insa-0042' });
    expect(hits.map((a) => a.id)).toEqual([ADDRESS_EXAMPLES.insaOnly]);
    expect(labels(hits)).toEqual(['INSA OSLO-INSA-0042, 0580 OSLO']);
  });

  it('Q-3: an empty query is refused (AdapterRejectedError)', async () => {
    const r = fast();
    await expect(r.search({})).rejects.toBeInstanceOf(AdapterRejectedError);
    await expect(r.search({ street: '   ', town: '' })).rejects.toBeInstanceOf(AdapterRejectedError);
    await expect(r.search({ limit: 5 })).rejects.toBeInstanceOf(AdapterRejectedError);
  });

  it('Q-3: malformed criteria are refused', async () => {
    const r = fast();
    await expect(r.search({ bnr: 3 })).rejects.toBeInstanceOf(AdapterRejectedError);
    await expect(r.search({ gnr: -1 })).rejects.toBeInstanceOf(AdapterRejectedError);
    await expect(r.search({ postcode: 'abc' })).rejects.toBeInstanceOf(AdapterRejectedError);
    await expect(r.search({ street: 'kirke', limit: 0 })).rejects.toBeInstanceOf(AdapterRejectedError);
  });

  it('limit caps the number of hits', async () => {
    const hits = await fast().search({ street: 'kirke', limit: 3 });
    expect(hits).toHaveLength(3);
  });

  it('Q-2: post-box addresses are in the register and flagged, so callers can refuse them', async () => {
    const hits = await fast().search({ street: 'postboks' });
    expect(hits.length).toBeGreaterThanOrEqual(3);
    expect(hits.every((a) => a.postBox === true)).toBe(true);
  });

  it('works on injected data', async () => {
    const data: Address[] = [{ id: 'adr-0001', street: 'Testveien', houseNumber: 1, postcode: '0001', town: 'TEST', municipality: 'Test', lat: 60, lon: 10, zone: 1, label: 'Testveien 1, 0001 TEST' }];
    const r = new AddressRegisterSimulator({ faults: { latencyMs: [0, 0] }, data });
    expect((await r.search({ street: 'test' })).map((a) => a.id)).toEqual(['adr-0001']);
    await expect(r.get('adr-0002')).resolves.toBeUndefined();
  });
});

describe('X-1 distance between addresses (Q-5)', () => {
  it('Q-5: distance between the zone-1 pair is computed in whole metres (haversine), both ways', async () => {
    const r = fast();
    const [a, b] = ADDRESS_EXAMPLES.zone1Pair;
    const d = await r.distanceMeters(a, b);
    expect(Number.isInteger(d)).toBe(true);
    expect(d).toBeGreaterThan(100);
    expect(d).toBeLessThan(1_000);
    await expect(r.distanceMeters(b, a)).resolves.toBe(d);
    await expect(r.distanceMeters(a, a)).resolves.toBe(0);
  });

  it('haversine matches a known distance (Oslo S → Bergen stasjon ≈ 305 km)', () => {
    const d = haversineMeters({ lat: 59.9111, lon: 10.7528 }, { lat: 60.3904, lon: 5.3327 });
    expect(d).toBeGreaterThan(303_000);
    expect(d).toBeLessThan(307_000);
  });

  it('Q-5: distance cannot be computed (undefined) for unknown ids, post boxes and non-geocoded parcels', async () => {
    const r = fast();
    await expect(r.distanceMeters('adr-0003', 'adr-9999')).resolves.toBeUndefined();
    await expect(r.distanceMeters('adr-0003', ADDRESS_EXAMPLES.postBox)).resolves.toBeUndefined();
    await expect(r.distanceMeters(ADDRESS_EXAMPLES.cadastralNoCoordinates, 'adr-0009')).resolves.toBeUndefined();
    // a geocoded cadastral site has a distance
    await expect(r.distanceMeters(ADDRESS_EXAMPLES.cadastralOnly, 'adr-0009')).resolves.toBeGreaterThan(0);
  });
});

describe('address register faults', () => {
  it('timeoutRate 1 → AdapterTimeoutError; errorRate 1 → AdapterUnavailableError; switched off again', async () => {
    const r = fast();
    r.faults.set({ timeoutRate: 1, timeoutMs: 5 });
    await expect(r.search({ street: 'kirke' })).rejects.toBeInstanceOf(AdapterTimeoutError);
    r.faults.set({ timeoutRate: 0, errorRate: 1 });
    await expect(r.get('adr-0001')).rejects.toBeInstanceOf(AdapterUnavailableError);
    r.faults.reset();
    await expect(r.get('adr-0001')).resolves.toBeDefined();
  });
});
