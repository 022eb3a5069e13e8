// X-6 Price list: products, monthly rent and establishment price by product, speed and
// distance, and cancellation fees by line progress (C-3). All money in øre.
import { z } from 'zod';
import priceData from './data/price-list.json' with { type: 'json' };
import { AdapterRejectedError, FaultInjector, type FaultConfig } from './faults';

export type ProductCode = string;
export type ProductFamily = 'capacity' | 'colocation' | 'adsl' | 'operator_access' | 'pstn' | 'isdn' | 'shdsl';

export interface Product {
  code: ProductCode;
  name: string;
  family: ProductFamily;
  accessType?: 'shared' | 'full';
  /** Needs address A and B. */
  twoEnded: boolean;
  /** Needs a speed line attribute (Q-2, O-6). */
  needsSpeed: boolean;
  speedsMbps?: number[];
  /** price-list products can be priced automatically; others always manually. */
  priceListProduct: boolean;
  /** capacity/colocation are ordered via a quote. */
  quoteOnly: boolean;
  /** False for the wholesaler's own retail product (Online ADSL, I-1): never ordered, only switched from. */
  orderable: boolean;
  /** speeds that are auto-priced only when both addresses lie in connection zone 1. */
  zone1RequiredSpeedsMbps?: number[];
  /** SLA lead time in calendar days (O-5). */
  leadTimeDays: number;
  /** T-3: how long the subscription lasts after termination is requested. */
  terminationNoticeDays: number;
  /** M-2.4: the repair-time target of a trouble ticket on this product, in hours. */
  repairTargetHours: number;
}

export interface Price {
  monthlyRentOre: number;
  establishmentOre: number;
  distanceBand: string;
}

export interface PriceList {
  products(): Promise<Product[]>;
  product(code: string): Promise<Product | undefined>;
  /** Undefined when the product is not price-listed (at that speed): manual pricing. */
  price(input: { productCode: string; speedMbps?: number; distanceMeters: number }): Promise<Price | undefined>;
  /** C-3: fee in øre for cancelling a line in the given status; grows with the line's progress. */
  cancellationFee(input: { productCode: string; lineStatus: string }): Promise<number>;
}

const ore = z.number().int().nonnegative();
const PriceListSchema = z.object({
  currency: z.literal('NOK'),
  unit: z.literal('øre'),
  validFrom: z.string(),
  distanceBands: z.array(z.object({ code: z.string(), fromMeters: z.number().int().nonnegative(), toMeters: z.number().int().positive().optional() })).min(1),
  products: z.array(
    z.strictObject({
      code: z.string().regex(/^[A-Z0-9-]+$/),
      name: z.string().min(1),
      family: z.enum(['capacity', 'colocation', 'adsl', 'operator_access', 'pstn', 'isdn', 'shdsl']),
      accessType: z.enum(['shared', 'full']).optional(),
      twoEnded: z.boolean(),
      needsSpeed: z.boolean(),
      speedsMbps: z.array(z.number().int().positive()).optional(),
      priceListProduct: z.boolean(),
      quoteOnly: z.boolean(),
      orderable: z.boolean(),
      zone1RequiredSpeedsMbps: z.array(z.number().int().positive()).optional(),
      leadTimeDays: z.number().int().nonnegative(),
      terminationNoticeDays: z.number().int().nonnegative(),
      cancellationBaseOre: ore,
      repairTargetHours: z.number().int().positive(),
    }),
  ),
  tariffs: z.array(
    z.strictObject({
      productCode: z.string(),
      speedMbps: z.number().int().positive().optional(),
      distanceBand: z.string(),
      monthlyRentOre: ore,
      establishmentOre: ore,
    }),
  ),
  cancellationFactorsBp: z.record(z.string(), z.number().int().min(0).max(10_000)),
});

const DATA = PriceListSchema.parse(priceData);

type ProductRow = (typeof DATA.products)[number];

function toProduct(p: ProductRow): Product {
  const { cancellationBaseOre: _base, ...product } = p;
  return structuredClone(product);
}

/** Synchronous catalogue for the other simulators (Kapaks needs a product's family). */
export const PRODUCT_CATALOG: ReadonlyMap<string, Product> = new Map(DATA.products.map((p) => [p.code, Object.freeze(toProduct(p))]));

/** Distance bands, ascending; a distance falls in [fromMeters, toMeters). */
export const DISTANCE_BANDS = DATA.distanceBands;

export function distanceBandFor(distanceMeters: number): string {
  for (const b of DATA.distanceBands) {
    if (distanceMeters >= b.fromMeters && (b.toMeters === undefined || distanceMeters < b.toMeters)) return b.code;
  }
  throw new RangeError(`no distance band for ${distanceMeters} m`);
}

/** Line statuses, in C-3 order; accepts "Ordered (O)", "Ordered", "O", "field_service", … */
const STATUS_ALIASES: Record<string, string> = {
  'new': 'New',
  'incomplete': 'Incomplete',
  'customer update': 'Customer Update',
  'committed': 'Committed',
  'in progress': 'In Progress',
  'registered': 'Registered',
  'ordered': 'Ordered',
  'o': 'Ordered',
  'design': 'Design',
  'd': 'Design',
  'ready': 'Ready',
  'r': 'Ready',
  'field service': 'Field Service',
  'm': 'Field Service',
  'test': 'Test',
  't': 'Test',
  'delivery': 'Delivery',
  'l': 'Delivery',
  'finished': 'Finished',
  'f': 'Finished',
  'cancelled': 'Cancelled',
  'a': 'Cancelled',
  'closed': 'Closed',
  'rejected': 'Rejected',
  'duplicate': 'Duplicate',
};

export function normaliseLineStatus(status: string): string | undefined {
  const key = status
    .trim()
    .toLowerCase()
    .replace(/\s*\([a-z]\)\s*$/, '')
    .replace(/[_-]+/g, ' ')
    .replace(/\s+/g, ' ');
  return STATUS_ALIASES[key];
}

export class PriceListSimulator implements PriceList {
  readonly faults: FaultInjector;

  constructor(opts: { faults?: Partial<FaultConfig>; random?: () => number } = {}) {
    this.faults = new FaultInjector('price-list', opts.faults, opts.random);
  }

  products(): Promise<Product[]> {
    return this.faults.run('products', () => DATA.products.map(toProduct));
  }

  product(code: string): Promise<Product | undefined> {
    return this.faults.run('product', () => {
      const p = DATA.products.find((x) => x.code === code);
      return p ? toProduct(p) : undefined;
    });
  }

  price(input: { productCode: string; speedMbps?: number; distanceMeters: number }): Promise<Price | undefined> {
    return this.faults.run('price', () => {
      const reject = (reason: string) => new AdapterRejectedError('price-list', 'price', reason);
      const p = DATA.products.find((x) => x.code === input.productCode);
      if (!p) throw reject(`unknown product ${input.productCode}`);
      if (!Number.isFinite(input.distanceMeters) || input.distanceMeters < 0) throw reject('distanceMeters must be a non-negative number');
      if (p.needsSpeed) {
        if (input.speedMbps === undefined) throw reject(`${p.name} needs a speed`);
        if (!p.speedsMbps?.includes(input.speedMbps)) throw reject(`${p.name} is not offered at ${input.speedMbps} Mbit/s`);
      } else if (input.speedMbps !== undefined) {
        throw reject(`${p.name} has no speed attribute`);
      }
      // non-price-list products are always priced manually
      if (!p.priceListProduct) return undefined;
      const band = p.twoEnded ? distanceBandFor(input.distanceMeters) : 'flat';
      const t = DATA.tariffs.find((x) => x.productCode === p.code && x.speedMbps === input.speedMbps && x.distanceBand === band);
      // a speed without a tariff row (e.g. 1000 Mbit/s) is not price-listed
      if (!t) return undefined;
      return { monthlyRentOre: t.monthlyRentOre, establishmentOre: t.establishmentOre, distanceBand: t.distanceBand };
    });
  }

  cancellationFee(input: { productCode: string; lineStatus: string }): Promise<number> {
    return this.faults.run('cancellationFee', () => {
      const reject = (reason: string) => new AdapterRejectedError('price-list', 'cancellationFee', reason);
      const p = DATA.products.find((x) => x.code === input.productCode);
      if (!p) throw reject(`unknown product ${input.productCode}`);
      const status = normaliseLineStatus(input.lineStatus);
      if (status === undefined) throw reject(`unknown line status "${input.lineStatus}"`);
      const bp = DATA.cancellationFactorsBp[status];
      // C-3: a finished, closed, cancelled or rejected line can no longer be cancelled
      if (bp === undefined) throw reject(`a line in status ${status} cannot be cancelled`);
      // rounded to whole kroner, kept in øre
      return Math.round((p.cancellationBaseOre * bp) / 10_000 / 100) * 100;
    });
  }
}
