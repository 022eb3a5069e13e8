// Quote pricing (Q-5…Q-8): zones and distance from the address register, prices from the
// price list. Read-only look-ups, so a retry or replay changes nothing (idempotent).
import type { Adapters } from '../adapters';
import { NOT_PRICE_LISTED_REASON, pricingRoute, type QuoteProduct } from '../domain/quote';
import type { QuoteAddress, QuotePrice } from '../workflows/quote/messages';

export interface PriceLineRequest {
  lineNo: number;
  product: QuoteProduct;
  speedMbps: number | null;
  addressA: QuoteAddress | null;
  addressB: QuoteAddress | null;
  attachmentFlag: boolean;
}

export type PricingOutcome = { kind: 'auto'; price: QuotePrice; distanceBand: string } | { kind: 'manual'; rule: string; reason: string; indicativeMonthlyRentOre: number | null };

export interface PriceLineResult {
  lineNo: number;
  /** The addresses as the register knows them now (label and zone snapshot). */
  addressA: QuoteAddress | null;
  addressB: QuoteAddress | null;
  distanceMeters: number | null;
  outcome: PricingOutcome;
}

export function createQuoteActivities(adapters: Adapters) {
  const snapshot = async (a: QuoteAddress | null): Promise<QuoteAddress | null> => {
    if (!a) return null;
    const found = await adapters.addresses.get(a.id);
    return found ? { id: found.id, label: found.label, zone: found.zone } : a;
  };

  async function priceLine(req: PriceLineRequest): Promise<PriceLineResult> {
    const [addressA, addressB] = await Promise.all([snapshot(req.addressA), snapshot(req.addressB)]);
    const p = req.product;
    let distanceMeters: number | undefined;
    if (!req.attachmentFlag && addressA) {
      if (p.twoEnded) distanceMeters = addressB ? await adapters.addresses.distanceMeters(addressA.id, addressB.id) : undefined;
      else distanceMeters = 0; // one end: the tariff is flat
    }
    const route = pricingRoute({
      product: p,
      speedMbps: req.speedMbps,
      attachmentFlag: req.attachmentFlag,
      zoneA: addressA?.zone ?? null,
      zoneB: addressB?.zone ?? null,
      distanceMeters,
    });
    const base = { lineNo: req.lineNo, addressA, addressB, distanceMeters: distanceMeters ?? null };
    const lookUp = () => adapters.prices.price({ productCode: p.code, ...(req.speedMbps !== null ? { speedMbps: req.speedMbps } : {}), distanceMeters: distanceMeters ?? 0 });
    if (route.kind === 'manual') {
      // where the price list has a tariff the monthly rent is shown at once; the handler sets the rest
      const indicative = route.rule === 'Q-5' && distanceMeters !== undefined ? await lookUp() : undefined;
      return { ...base, outcome: { kind: 'manual', rule: route.rule, reason: route.reason, indicativeMonthlyRentOre: indicative?.monthlyRentOre ?? null } };
    }
    const price = await lookUp();
    // a price-list product at a speed without a tariff (e.g. 1000 Mbit/s) is priced manually
    if (!price) return { ...base, outcome: { kind: 'manual', rule: 'Q-6', reason: NOT_PRICE_LISTED_REASON(p.name, req.speedMbps), indicativeMonthlyRentOre: null } };
    return { ...base, outcome: { kind: 'auto', price: { monthlyRentOre: price.monthlyRentOre, establishmentOre: price.establishmentOre }, distanceBand: price.distanceBand } };
  }

  return {
    async priceQuoteLines(lines: PriceLineRequest[]): Promise<PriceLineResult[]> {
      return Promise.all(lines.map(priceLine));
    },
  };
}

export type QuoteActivities = ReturnType<typeof createQuoteActivities>;
