// Generates adapters/data/price-list.json (X-6, Q-5, Q-6, Q-7, C-3): the wholesaler's
// product catalogue and tariffs. Amounts are integer øre; rates are chosen in whole kroner.
//   npx tsx adapters/data/generate-price-list.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const KR = 100; // øre per krone

const BANDS = [
  { code: '0-1km', fromMeters: 0, toMeters: 1_000 },
  { code: '1-5km', fromMeters: 1_000, toMeters: 5_000 },
  { code: '5-20km', fromMeters: 5_000, toMeters: 20_000 },
  { code: '20-50km', fromMeters: 20_000, toMeters: 50_000 },
  { code: '>50km', fromMeters: 50_000 },
] as const;
// distance factors for two-ended circuits, per band (percent)
const RENT_FACTOR = [100, 125, 160, 220, 300];
const ESTABLISHMENT_FACTOR = [100, 100, 120, 150, 200];

type Family = 'capacity' | 'colocation' | 'adsl' | 'operator_access' | 'pstn' | 'isdn' | 'shdsl';
interface ProductRow {
  code: string;
  name: string;
  family: Family;
  accessType?: 'shared' | 'full';
  twoEnded: boolean;
  needsSpeed: boolean;
  speedsMbps?: number[];
  priceListProduct: boolean;
  quoteOnly: boolean;
  orderable: boolean;
  zone1RequiredSpeedsMbps?: number[];
  leadTimeDays: number;
  terminationNoticeDays: number;
  cancellationBaseOre: number;
  /** M-2.4: the repair-time target of a trouble ticket on this product, in hours (the clock pauses while the ticket waits on the customer). */
  repairTargetHours?: number;
}

const products: ProductRow[] = [
  {
    code: 'SAMB-ETH',
    name: 'Samband Ethernet',
    family: 'capacity',
    twoEnded: true,
    needsSpeed: true,
    speedsMbps: [2, 10, 34, 100, 155, 1000],
    priceListProduct: true,
    quoteOnly: true,
    orderable: true,
    zone1RequiredSpeedsMbps: [34, 155],
    leadTimeDays: 35,
    terminationNoticeDays: 90,
    cancellationBaseOre: 30_000 * KR,
  },
  {
    code: 'SAMB-SDH',
    name: 'Samband SDH',
    family: 'capacity',
    twoEnded: true,
    needsSpeed: true,
    speedsMbps: [2, 34, 155],
    priceListProduct: true,
    quoteOnly: true,
    orderable: true,
    zone1RequiredSpeedsMbps: [34, 155],
    leadTimeDays: 42,
    terminationNoticeDays: 90,
    cancellationBaseOre: 35_000 * KR,
  },
  {
    code: 'MORK-FIBER',
    name: 'Mørk fiber',
    family: 'capacity',
    twoEnded: true,
    needsSpeed: false,
    priceListProduct: false,
    quoteOnly: true,
    orderable: true,
    leadTimeDays: 90,
    terminationNoticeDays: 180,
    cancellationBaseOre: 60_000 * KR,
  },
  {
    code: 'TELELOSJI',
    name: 'Telelosji',
    family: 'colocation',
    twoEnded: false,
    needsSpeed: false,
    priceListProduct: false,
    quoteOnly: true,
    orderable: true,
    leadTimeDays: 60,
    terminationNoticeDays: 90,
    cancellationBaseOre: 20_000 * KR,
  },
  {
    code: 'JARA-ADSL-DELT',
    name: 'Jara ADSL Delt aksess',
    family: 'adsl',
    accessType: 'shared',
    twoEnded: false,
    needsSpeed: true,
    speedsMbps: [2, 8, 16, 24],
    priceListProduct: true,
    quoteOnly: false,
    orderable: true,
    leadTimeDays: 10,
    terminationNoticeDays: 30,
    cancellationBaseOre: 1_900 * KR,
  },
  {
    code: 'JARA-ADSL-FULL',
    name: 'Jara ADSL Full aksess',
    family: 'adsl',
    accessType: 'full',
    twoEnded: false,
    needsSpeed: true,
    speedsMbps: [2, 8, 16, 24],
    priceListProduct: true,
    quoteOnly: false,
    orderable: true,
    leadTimeDays: 14,
    terminationNoticeDays: 30,
    cancellationBaseOre: 2_600 * KR,
  },
  // I-1: the wholesaler's own retail ADSL; appears only as the losing product of a switch-ISP
  {
    code: 'ONLINE-ADSL',
    name: 'Online ADSL',
    family: 'adsl',
    accessType: 'shared',
    twoEnded: false,
    needsSpeed: true,
    speedsMbps: [2, 8, 16, 24],
    priceListProduct: false,
    quoteOnly: false,
    orderable: false,
    leadTimeDays: 10,
    terminationNoticeDays: 30,
    cancellationBaseOre: 1_900 * KR,
  },
  {
    code: 'OPA-DELT',
    name: 'Operatøraksess Delt',
    family: 'operator_access',
    accessType: 'shared',
    twoEnded: false,
    needsSpeed: false,
    priceListProduct: true,
    quoteOnly: false,
    orderable: true,
    leadTimeDays: 10,
    terminationNoticeDays: 30,
    cancellationBaseOre: 1_600 * KR,
  },
  {
    code: 'OPA-FULL',
    name: 'Operatøraksess Full',
    family: 'operator_access',
    accessType: 'full',
    twoEnded: false,
    needsSpeed: false,
    priceListProduct: true,
    quoteOnly: false,
    orderable: true,
    leadTimeDays: 14,
    terminationNoticeDays: 30,
    cancellationBaseOre: 2_400 * KR,
  },
  {
    code: 'PSTN',
    name: 'Jara PSTN',
    family: 'pstn',
    twoEnded: false,
    needsSpeed: false,
    priceListProduct: true,
    quoteOnly: false,
    orderable: true,
    leadTimeDays: 10,
    terminationNoticeDays: 30,
    cancellationBaseOre: 2_200 * KR,
  },
  {
    code: 'ISDN',
    name: 'Jara ISDN Basistilgang',
    family: 'isdn',
    twoEnded: false,
    needsSpeed: false,
    priceListProduct: true,
    quoteOnly: false,
    orderable: true,
    leadTimeDays: 14,
    terminationNoticeDays: 30,
    cancellationBaseOre: 3_400 * KR,
  },
  {
    code: 'JARA-SHDSL',
    name: 'Jara SHDSL',
    family: 'shdsl',
    twoEnded: false,
    needsSpeed: true,
    speedsMbps: [2, 4, 8],
    priceListProduct: true,
    quoteOnly: false,
    orderable: true,
    leadTimeDays: 21,
    terminationNoticeDays: 60,
    cancellationBaseOre: 6_500 * KR,
  },
];

interface Tariff {
  productCode: string;
  speedMbps?: number;
  distanceBand: string;
  monthlyRentOre: number;
  establishmentOre: number;
}
const tariffs: Tariff[] = [];

const round = (v: number, step: number) => Math.round(v / step) * step;

/** Two-ended circuit: [speed, monthly rent kr, establishment kr] at the 0–1 km band, scaled per band. */
function circuit(code: string, rows: Array<[number, number, number]>) {
  for (const [speed, rent, est] of rows) {
    BANDS.forEach((b, i) => {
      tariffs.push({
        productCode: code,
        speedMbps: speed,
        distanceBand: b.code,
        monthlyRentOre: round((rent * (RENT_FACTOR[i] ?? 100)) / 100, 10) * KR,
        establishmentOre: round((est * (ESTABLISHMENT_FACTOR[i] ?? 100)) / 100, 100) * KR,
      });
    });
  }
}

/** One-ended access product: flat price regardless of distance. */
function flat(code: string, rows: Array<[number | undefined, number, number]>) {
  for (const [speed, rent, est] of rows) {
    tariffs.push({ productCode: code, ...(speed !== undefined ? { speedMbps: speed } : {}), distanceBand: 'flat', monthlyRentOre: rent * KR, establishmentOre: est * KR });
  }
}

// Q-6: 1000 Mbit/s Samband Ethernet is offered but not price-listed → manual pricing
circuit('SAMB-ETH', [
  [2, 1_900, 12_000],
  [10, 3_200, 15_000],
  [34, 5_900, 22_000],
  [100, 8_900, 28_000],
  [155, 11_900, 35_000],
]);
circuit('SAMB-SDH', [
  [2, 2_400, 15_000],
  [34, 7_400, 26_000],
  [155, 14_800, 42_000],
]);
flat('JARA-ADSL-DELT', [
  [2, 149, 990],
  [8, 199, 990],
  [16, 259, 990],
  [24, 329, 990],
]);
flat('JARA-ADSL-FULL', [
  [2, 239, 1_490],
  [8, 289, 1_490],
  [16, 349, 1_490],
  [24, 419, 1_490],
]);
flat('OPA-DELT', [[undefined, 95, 790]]);
flat('OPA-FULL', [[undefined, 189, 1_290]]);
flat('PSTN', [[undefined, 179, 1_190]]);
flat('ISDN', [[undefined, 289, 1_890]]);
flat('JARA-SHDSL', [
  [2, 1_190, 4_900],
  [4, 1_690, 4_900],
  [8, 2_490, 5_900],
]);

// C-3: share of the product's cancellation base charged per line status, in basis points
// (1/100 of a percent): the further the delivery has come, the more it costs.
const cancellationFactorsBp = {
  'New': 0,
  'Incomplete': 0,
  'Customer Update': 0,
  'Committed': 200,
  'In Progress': 200,
  'Registered': 500,
  'Ordered': 1_000,
  'Design': 2_500,
  'Ready': 4_000,
  'Field Service': 6_000,
  'Test': 8_000,
  'Delivery': 9_500,
};

/** M-2.4: repair-time targets by product family (hours): capacity and business lines first. */
const REPAIR_TARGET_HOURS: Record<ProductRow['family'], number> = { capacity: 4, colocation: 8, shdsl: 8, isdn: 12, adsl: 24, operator_access: 24, pstn: 24 };
for (const p of products) p.repairTargetHours = REPAIR_TARGET_HOURS[p.family];

const out = {
  currency: 'NOK',
  unit: 'øre',
  validFrom: '2026-01-01',
  distanceBands: BANDS,
  products,
  tariffs,
  cancellationFactorsBp,
};

const target = fileURLToPath(new URL('./price-list.json', import.meta.url));
// one product / tariff per line: reviewable diffs
const body = Object.entries(out)
  .map(([k, v]) => (Array.isArray(v) ? `  ${JSON.stringify(k)}: [\n${v.map((x: unknown) => `    ${JSON.stringify(x)}`).join(',\n')}\n  ]` : `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`))
  .join(',\n');
writeFileSync(target, `{\n${body}\n}\n`);
console.log(`wrote ${products.length} products, ${tariffs.length} tariffs to ${target}`);
