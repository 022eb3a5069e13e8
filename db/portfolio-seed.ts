// Portfolio seed (M-1), built from the wholesaler's line data (adapters/data/lines.json) so numbers,
// end users and operators match what Kapaks, the order system and NRDB know.
//
// lines.json names no line of the seed companies (its operators are Telenor, Telia, Ice, …): a
// deterministic share of those lines is handed to Nordnett AS and Fjordtel AS as their delivered
// products. Every other line stays with its operator as an "other operators" entry (company_id
// NULL) that a seed company may take over with a switch (I-3). Lines a test or the docs rely on as
// another operator's — the documented anchors at adr-0001…adr-0010 and every line with an NRDB
// authorisation (I-4) — always stay with their operator. Idempotent: keyed by 'seed:<lineId>'.
import { ADDRESSES } from '../adapters/address-register';
import { LINES, type ExistingLine } from '../adapters/lines';
import { AUTHORISATIONS } from '../adapters/nrdb';
import { PRODUCT_CATALOG } from '../adapters/price-list';
import { addCalendarDays } from '../domain/time';
import type { Sql } from './client';

/** Operator names of the seed companies, as the portfolio records the holder. */
export const OPERATOR_OF_COMPANY: Record<string, string> = { nordnett: 'Nordnett AS', fjordtel: 'Fjordtel AS' };
export const COMPANY_OF_OPERATOR: Record<string, string> = Object.fromEntries(Object.entries(OPERATOR_OF_COMPANY).map(([id, name]) => [name, id]));

/** FNV-1a → [0, 1): the same line always lands with the same holder and start date. */
function hash01(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  // final avalanche (murmur3 fmix32): ids differing in the last digit must spread over [0, 1)
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

const authorisedLines = new Set(AUTHORISATIONS.map((a) => a.lineId));
const addressById = new Map(ADDRESSES.map((a) => [a.id, a]));

function holderOf(line: ExistingLine): string | null {
  if (Number(line.addressId.slice(4)) <= 10 || authorisedLines.has(line.lineId)) return null;
  // I-1: Online ADSL is the wholesaler's own retail product, never a reseller's
  if (!PRODUCT_CATALOG.get(line.productCode)?.orderable) return null;
  const r = hash01(`holder|${line.lineId}`);
  if (r < 0.1) return 'nordnett';
  if (r < 0.18) return 'fjordtel';
  return null;
}

export interface SeedPortfolioRow {
  lineId: string;
  companyId: string | null;
  operator: string;
  productCode: string;
  productName: string;
  accessType: 'shared' | 'full' | null;
  speedMbps: number | null;
  number: string;
  numberKind: 'phone' | 'circuit';
  addressId: string;
  addressLabel: string;
  endUser: ExistingLine['endUser'];
  startDate: string;
  sourceCaseId: string;
}

/** Every line as a current portfolio entry of its holder (pure; the tests read it too). */
export function seedPortfolioRows(): SeedPortfolioRow[] {
  return LINES.map((l) => {
    const companyId = holderOf(l);
    const number = l.phoneNumber ?? l.circuitNumber;
    if (!number) throw new Error(`${l.lineId} has neither phone nor circuit number`);
    // delivered some time between 2014 and mid-2026
    const startDate = addCalendarDays('2014-01-01', Math.floor(hash01(`start|${l.lineId}`) * 4_560));
    return {
      lineId: l.lineId,
      companyId,
      operator: companyId ? OPERATOR_OF_COMPANY[companyId]! : l.operator,
      productCode: l.productCode,
      productName: PRODUCT_CATALOG.get(l.productCode)?.name ?? l.productCode,
      accessType: l.accessType ?? null,
      speedMbps: l.speedMbps ?? null,
      number,
      numberKind: l.phoneNumber ? 'phone' : 'circuit',
      addressId: l.addressId,
      addressLabel: addressById.get(l.addressId)?.label ?? l.addressId,
      endUser: l.endUser,
      startDate,
      sourceCaseId: `seed:${l.lineId}`,
    };
  });
}

export async function seedPortfolio(sql: Sql): Promise<void> {
  const rows = seedPortfolioRows().map((r) => ({
    line_id: r.lineId,
    company_id: r.companyId,
    operator: r.operator,
    product_code: r.productCode,
    product_name: r.productName,
    access_type: r.accessType,
    speed_mbps: r.speedMbps,
    number: r.number,
    number_kind: r.numberKind,
    address_id: r.addressId,
    address_label: r.addressLabel,
    end_user: sql.json(r.endUser as never),
    end_user_name: r.endUser.name,
    start_date: r.startDate,
    source_case_id: r.sourceCaseId,
  }));
  // a line already moved or ended by a case keeps its history: conflicts are skipped
  await sql`INSERT INTO portfolio_products ${sql(rows)} ON CONFLICT DO NOTHING`;
}
