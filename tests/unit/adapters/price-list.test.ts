import { describe, expect, it } from 'vitest';
import { AdapterRejectedError, AdapterTimeoutError } from '../../../adapters/faults';
import { distanceBandFor, normaliseLineStatus, PRODUCT_CATALOG, PriceListSimulator } from '../../../adapters/price-list';

const fast = () => new PriceListSimulator({ faults: { latencyMs: [0, 0] } });

describe('X-6 product catalogue', () => {
  it("has the wholesaler's products with the right shape", async () => {
    const products = await fast().products();
    const codes = products.map((p) => p.code);
    for (const c of ['SAMB-ETH', 'SAMB-SDH', 'MORK-FIBER', 'TELELOSJI', 'JARA-ADSL-DELT', 'JARA-ADSL-FULL', 'ONLINE-ADSL', 'OPA-DELT', 'OPA-FULL', 'PSTN', 'ISDN', 'JARA-SHDSL']) {
      expect(codes).toContain(c);
    }
    const eth = await fast().product('SAMB-ETH');
    expect(eth).toMatchObject({ family: 'capacity', twoEnded: true, needsSpeed: true, priceListProduct: true, quoteOnly: true, speedsMbps: [2, 10, 34, 100, 155, 1000] });
    expect(eth).not.toHaveProperty('cancellationBaseOre');
    await expect(fast().product('NOPE')).resolves.toBeUndefined();
  });

  it('Q-7: Telelosji is one-ended co-location, no speed, never price-listed', async () => {
    expect(await fast().product('TELELOSJI')).toMatchObject({ family: 'colocation', twoEnded: false, needsSpeed: false, priceListProduct: false, quoteOnly: true });
  });

  it("I-1: Online ADSL is the wholesaler's retail product: not orderable, shared access", () => {
    expect(PRODUCT_CATALOG.get('ONLINE-ADSL')).toMatchObject({ family: 'adsl', accessType: 'shared', orderable: false });
    expect(PRODUCT_CATALOG.get('JARA-ADSL-DELT')?.orderable).toBe(true);
  });

  it('T-3 / O-5: every product has a lead time and a termination period', async () => {
    for (const p of await fast().products()) {
      expect(Number.isInteger(p.leadTimeDays) && p.leadTimeDays > 0).toBe(true);
      expect(Number.isInteger(p.terminationNoticeDays) && p.terminationNoticeDays > 0).toBe(true);
    }
    expect(PRODUCT_CATALOG.get('MORK-FIBER')?.terminationNoticeDays).not.toBe(PRODUCT_CATALOG.get('PSTN')?.terminationNoticeDays);
  });

  it('Q-5: 34 and 155 Mbit/s are marked as needing both addresses in zone 1', () => {
    expect(PRODUCT_CATALOG.get('SAMB-ETH')?.zone1RequiredSpeedsMbps).toEqual([34, 155]);
    expect(PRODUCT_CATALOG.get('SAMB-SDH')?.zone1RequiredSpeedsMbps).toEqual([34, 155]);
  });
});

describe('X-6 prices (Q-5, Q-6)', () => {
  it('distance bands: lower bound inclusive, upper exclusive', () => {
    expect(distanceBandFor(0)).toBe('0-1km');
    expect(distanceBandFor(999)).toBe('0-1km');
    expect(distanceBandFor(1_000)).toBe('1-5km');
    expect(distanceBandFor(19_999)).toBe('5-20km');
    expect(distanceBandFor(50_000)).toBe('>50km');
    expect(distanceBandFor(400_000)).toBe('>50km');
  });

  it('Q-5: a price-listed circuit is priced by band, in integer øre, dearer with distance', async () => {
    const prices = fast();
    const near = await prices.price({ productCode: 'SAMB-ETH', speedMbps: 10, distanceMeters: 253 });
    expect(near).toEqual({ monthlyRentOre: 320_000, establishmentOre: 1_500_000, distanceBand: '0-1km' });
    const bands = await Promise.all([500, 3_000, 10_000, 30_000, 120_000].map((d) => prices.price({ productCode: 'SAMB-ETH', speedMbps: 10, distanceMeters: d })));
    const rents = bands.map((b) => b?.monthlyRentOre ?? 0);
    expect(bands.map((b) => b?.distanceBand)).toEqual(['0-1km', '1-5km', '5-20km', '20-50km', '>50km']);
    for (let i = 1; i < rents.length; i++) expect(rents[i]).toBeGreaterThan(rents[i - 1] ?? 0);
    for (const b of bands) {
      expect(Number.isInteger(b?.monthlyRentOre)).toBe(true);
      expect(Number.isInteger(b?.establishmentOre)).toBe(true);
    }
  });

  it('Q-5: higher speed costs more in the same band', async () => {
    const prices = fast();
    const s2 = await prices.price({ productCode: 'SAMB-ETH', speedMbps: 2, distanceMeters: 2_000 });
    const s155 = await prices.price({ productCode: 'SAMB-ETH', speedMbps: 155, distanceMeters: 2_000 });
    expect(s155?.monthlyRentOre).toBeGreaterThan(s2?.monthlyRentOre ?? Infinity);
  });

  it('Q-6: 1000 Mbit/s Samband Ethernet is offered but not price-listed → undefined (manual pricing)', async () => {
    await expect(fast().price({ productCode: 'SAMB-ETH', speedMbps: 1000, distanceMeters: 500 })).resolves.toBeUndefined();
  });

  it('Q-6/Q-7: non-price-list products (Mørk fiber, Telelosji) are never priced automatically', async () => {
    await expect(fast().price({ productCode: 'MORK-FIBER', distanceMeters: 500 })).resolves.toBeUndefined();
    await expect(fast().price({ productCode: 'TELELOSJI', distanceMeters: 0 })).resolves.toBeUndefined();
  });

  it('one-ended access products have a flat price regardless of distance', async () => {
    const a = await fast().price({ productCode: 'JARA-ADSL-DELT', speedMbps: 16, distanceMeters: 0 });
    const b = await fast().price({ productCode: 'JARA-ADSL-DELT', speedMbps: 16, distanceMeters: 90_000 });
    expect(a).toEqual({ monthlyRentOre: 25_900, establishmentOre: 99_000, distanceBand: 'flat' });
    expect(b).toEqual(a);
    expect(await fast().price({ productCode: 'PSTN', distanceMeters: 0 })).toEqual({ monthlyRentOre: 17_900, establishmentOre: 119_000, distanceBand: 'flat' });
  });

  it('refuses unknown products, missing or unknown speeds and bad distances (AdapterRejectedError)', async () => {
    const p = fast();
    await expect(p.price({ productCode: 'NOPE', distanceMeters: 1 })).rejects.toBeInstanceOf(AdapterRejectedError);
    await expect(p.price({ productCode: 'SAMB-ETH', distanceMeters: 1 })).rejects.toBeInstanceOf(AdapterRejectedError);
    await expect(p.price({ productCode: 'SAMB-ETH', speedMbps: 3, distanceMeters: 1 })).rejects.toBeInstanceOf(AdapterRejectedError);
    await expect(p.price({ productCode: 'PSTN', speedMbps: 2, distanceMeters: 1 })).rejects.toBeInstanceOf(AdapterRejectedError);
    await expect(p.price({ productCode: 'SAMB-ETH', speedMbps: 2, distanceMeters: -5 })).rejects.toBeInstanceOf(AdapterRejectedError);
  });
});

describe('C-3 cancellation fees', () => {
  const ladder = ['New', 'Committed', 'Registered', 'Ordered (O)', 'Design (D)', 'Ready (R)', 'Field Service (M)', 'Test (T)', 'Delivery (L)'];

  it('C-3: nothing is charged before the order reaches the wholesaler (New, Incomplete, Customer Update)', async () => {
    const p = fast();
    for (const s of ['New', 'Incomplete', 'Customer Update']) await expect(p.cancellationFee({ productCode: 'SAMB-ETH', lineStatus: s })).resolves.toBe(0);
  });

  it("C-3: the fee grows strictly with the line's progress O < D < R < M < T < L", async () => {
    const p = fast();
    for (const code of ['SAMB-ETH', 'JARA-ADSL-DELT', 'PSTN']) {
      const fees = await Promise.all(ladder.map((lineStatus) => p.cancellationFee({ productCode: code, lineStatus })));
      for (let i = 1; i < fees.length; i++) expect(fees[i]).toBeGreaterThan(fees[i - 1] ?? Infinity);
      for (const f of fees) expect(Number.isInteger(f)).toBe(true);
    }
  });

  it('C-3: Committed/Registered are small; a capacity circuit costs more to cancel than ADSL', async () => {
    const p = fast();
    const committed = await p.cancellationFee({ productCode: 'SAMB-ETH', lineStatus: 'Committed' });
    const delivery = await p.cancellationFee({ productCode: 'SAMB-ETH', lineStatus: 'Delivery (L)' });
    expect(committed).toBe(60_000); // 2 % of 30 000 kr
    expect(committed * 10).toBeLessThan(delivery);
    expect(await p.cancellationFee({ productCode: 'SAMB-ETH', lineStatus: 'M' })).toBeGreaterThan(await p.cancellationFee({ productCode: 'JARA-ADSL-DELT', lineStatus: 'M' }));
  });

  it('accepts status spellings "Field Service (M)", "Field Service", "M", "field_service"', async () => {
    const p = fast();
    const fees = await Promise.all(['Field Service (M)', 'Field Service', 'M', 'field_service'].map((lineStatus) => p.cancellationFee({ productCode: 'PSTN', lineStatus })));
    expect(new Set(fees).size).toBe(1);
    expect(normaliseLineStatus('Customer_Update')).toBe('Customer Update');
  });

  it('C-3: finished, closed, cancelled lines and unknown statuses cannot be cancelled', async () => {
    const p = fast();
    for (const s of ['Finished (F)', 'Closed', 'Cancelled (A)', 'Rejected', 'Whatever']) {
      await expect(p.cancellationFee({ productCode: 'PSTN', lineStatus: s })).rejects.toBeInstanceOf(AdapterRejectedError);
    }
    await expect(p.cancellationFee({ productCode: 'NOPE', lineStatus: 'New' })).rejects.toBeInstanceOf(AdapterRejectedError);
  });
});

describe('price list faults', () => {
  it('timeoutRate 1 → AdapterTimeoutError', async () => {
    const p = new PriceListSimulator({ faults: { latencyMs: [0, 0], timeoutRate: 1, timeoutMs: 5 } });
    await expect(p.price({ productCode: 'PSTN', distanceMeters: 0 })).rejects.toBeInstanceOf(AdapterTimeoutError);
  });
});
