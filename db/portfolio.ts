// The portfolio table (M-1): reads for the API and idempotent writes for activities. Every
// write is keyed by the case that causes it, so a retried or replayed activity changes nothing twice.
import type { IsoDate } from '../domain/time';
import type { NewPortfolioEntry, PortfolioEndUser, PortfolioEntry } from '../domain/portfolio';
import type { PortfolioChange } from '../domain/modify-order';
import { PRODUCT_CATALOG } from '../adapters/price-list';
import type { Queryable } from './client';

export interface PortfolioRow {
  id: string;
  line_id: string;
  company_id: string | null;
  operator: string;
  product_code: string;
  product_name: string;
  access_type: 'shared' | 'full' | null;
  speed_mbps: number | null;
  equipment: string | null;
  number: string;
  number_kind: 'phone' | 'circuit';
  address_id: string;
  address_label: string;
  end_user: PortfolioEndUser;
  end_user_name: string;
  start_date: Date | string;
  end_date: Date | string | null;
  source_case_id: string;
  ended_by_case_id: string | null;
}

const COLUMNS =
  'id, line_id, company_id, operator, product_code, product_name, access_type, speed_mbps, equipment, number, number_kind, address_id, address_label, end_user, end_user_name, start_date::text AS start_date, end_date::text AS end_date, source_case_id, ended_by_case_id';

export function toEntry(r: PortfolioRow): PortfolioEntry {
  const endDate = r.end_date === null ? null : String(r.end_date);
  return {
    id: r.id,
    lineId: r.line_id,
    number: r.number,
    numberKind: r.number_kind,
    productCode: r.product_code,
    productName: r.product_name,
    accessType: r.access_type,
    speedMbps: r.speed_mbps,
    equipment: r.equipment,
    address: { id: r.address_id, label: r.address_label },
    endUser: r.end_user,
    operator: r.operator,
    companyId: r.company_id,
    startDate: String(r.start_date),
    endDate,
    status: endDate === null ? 'active' : 'ended',
    sourceCaseId: r.source_case_id.startsWith('seed:') ? null : r.source_case_id,
    endedByCaseId: r.ended_by_case_id,
  };
}

/** The current (not ended) entry of a line, whoever holds it. */
export async function currentEntryOfLine(sql: Queryable, lineId: string, opts: { lock?: boolean } = {}): Promise<PortfolioRow | undefined> {
  const [row] = await sql<PortfolioRow[]>`SELECT ${sql.unsafe(COLUMNS)} FROM portfolio_products WHERE line_id = ${lineId} AND end_date IS NULL
                                           ${opts.lock ? sql`FOR UPDATE` : sql``}`;
  return row;
}

/** O-13: the current access lines (ADSL, operator access) of an end user, whoever holds them. */
export async function currentAccessOfEndUser(sql: Queryable, endUser: PortfolioEndUser): Promise<PortfolioRow[]> {
  const match =
    endUser.kind === 'company'
      ? sql`end_user ->> 'kind' = 'company' AND end_user ->> 'orgNumber' = ${endUser.orgNumber}`
      : sql`end_user ->> 'kind' = 'person' AND end_user ->> 'birthDate' = ${endUser.birthDate} AND lower(trim(end_user ->> 'name')) = ${endUser.name.trim().toLowerCase()}`;
  return sql<PortfolioRow[]>`SELECT ${sql.unsafe(COLUMNS)} FROM portfolio_products WHERE end_date IS NULL AND access_type IS NOT NULL AND ${match}`;
}

/** Current entries carrying a number (phone or circuit), whoever holds them. */
export async function currentEntriesByNumber(sql: Queryable, number: string): Promise<PortfolioRow[]> {
  return sql<PortfolioRow[]>`SELECT ${sql.unsafe(COLUMNS)} FROM portfolio_products WHERE number = ${number} AND end_date IS NULL ORDER BY start_date`;
}

export async function currentEntriesAtAddress(sql: Queryable, addressId: string): Promise<PortfolioRow[]> {
  return sql<PortfolioRow[]>`SELECT ${sql.unsafe(COLUMNS)} FROM portfolio_products WHERE address_id = ${addressId} AND end_date IS NULL ORDER BY number`;
}

/** A company's entries for a number, current first, then the ended ones newest first. */
export async function companyEntriesByNumber(sql: Queryable, companyId: string | undefined, number: string): Promise<PortfolioRow[]> {
  return sql<PortfolioRow[]>`SELECT ${sql.unsafe(COLUMNS)} FROM portfolio_products
    WHERE number = ${number} ${companyId !== undefined ? sql`AND company_id = ${companyId}` : sql`AND company_id IS NOT NULL`}
    ORDER BY (end_date IS NULL) DESC, end_date DESC NULLS FIRST, start_date DESC`;
}

export async function entryById(sql: Queryable, id: string): Promise<PortfolioRow | undefined> {
  const [row] = await sql<PortfolioRow[]>`SELECT ${sql.unsafe(COLUMNS)} FROM portfolio_products WHERE id = ${id}`;
  return row;
}

export interface PortfolioFilter {
  companyId?: string | undefined;
  status: 'active' | 'ended' | 'all';
  q?: string | undefined;
  number?: string | undefined;
  productCode?: string | undefined;
  addressId?: string | undefined;
  endUser?: string | undefined;
}

/** The columns of an entry (toEntry reads them). */
export const PORTFOLIO_COLUMNS = (sql: Queryable) => sql`${sql.unsafe(COLUMNS)}`;

/** M-1: the filters of the portfolio list (api/routes/portfolio.ts pages it, current products first, by number). */
export function portfolioWhere(sql: Queryable, f: PortfolioFilter) {
  const like = (s: string) =>
    '%' +
    s
      .trim()
      .toLowerCase()
      .replace(/[%_\\]/g, (m) => '\\' + m) +
    '%';
  const conditions = [
    f.companyId !== undefined ? sql`company_id = ${f.companyId}` : sql`company_id IS NOT NULL`,
    f.status === 'active' ? sql`end_date IS NULL` : f.status === 'ended' ? sql`end_date IS NOT NULL` : null,
    f.q ? sql`search_text LIKE ${like(f.q)}` : null,
    f.number ? sql`number = ${f.number}` : null,
    f.productCode ? sql`product_code = ${f.productCode}` : null,
    f.addressId ? sql`address_id = ${f.addressId}` : null,
    f.endUser ? sql`lower(end_user_name) LIKE ${like(f.endUser)}` : null,
  ].filter((x) => x !== null);
  return conditions.reduce((acc, c) => sql`${acc} AND ${c}`);
}

/**
 * M-1: a delivered product enters the company's portfolio. Idempotent per source case (the
 * order line or switch that delivered it): a repeat returns the entry made the first time.
 */
export async function addToPortfolio(sql: Queryable, e: NewPortfolioEntry & { operator: string }): Promise<PortfolioEntry> {
  const productName = PRODUCT_CATALOG.get(e.productCode)?.name ?? e.productCode;
  await sql`
    INSERT INTO portfolio_products (line_id, company_id, operator, product_code, product_name, access_type, speed_mbps, equipment, number, number_kind,
                                    address_id, address_label, end_user, end_user_name, start_date, source_case_id)
    VALUES (${e.lineId}, ${e.companyId}, ${e.operator}, ${e.productCode}, ${productName}, ${e.accessType}, ${e.speedMbps}, ${e.equipment ?? null}, ${e.number}, ${e.numberKind},
            ${e.addressId}, ${e.addressLabel}, ${sql.json(e.endUser as never)}, ${e.endUser.name}, ${e.startDate}, ${e.sourceCaseId})
    ON CONFLICT (source_case_id) DO NOTHING`;
  const [row] = await sql<PortfolioRow[]>`SELECT ${sql.unsafe(COLUMNS)} FROM portfolio_products WHERE source_case_id = ${e.sourceCaseId}`;
  if (!row) throw new Error(`portfolio entry of ${e.sourceCaseId} vanished`);
  return toEntry(row);
}

/**
 * Ends an entry on a date because of a case (switch away, termination). Idempotent: an entry
 * already ended by the same case is left as it is; one ended by another case is an error.
 */
export async function endEntry(sql: Queryable, id: string, endDate: IsoDate, byCaseId: string): Promise<void> {
  const [row] = await sql<{ end_date: string | null; ended_by_case_id: string | null }[]>`
    SELECT end_date::text AS end_date, ended_by_case_id FROM portfolio_products WHERE id = ${id} FOR UPDATE`;
  if (!row) throw new Error(`no portfolio entry ${id}`);
  if (row.end_date !== null) {
    if (row.ended_by_case_id === byCaseId) return;
    throw new Error(`portfolio entry ${id} already ended on ${row.end_date} by ${row.ended_by_case_id ?? 'another change'}`);
  }
  await sql`UPDATE portfolio_products SET end_date = ${endDate}, ended_by_case_id = ${byCaseId}, updated_at = now() WHERE id = ${id}`;
}

/** A change the entry cannot take: it ended or moved to another holder before the change order finished. */
export class PortfolioConflictError extends Error {
  override name = 'PortfolioConflictError';
}

/**
 * M-1: a Finished change order (speed, equipment, move, product swap) ends the product's entry on the date and
 * opens its successor with the new attributes, the same number and line, so history is kept. Run
 * inside one transaction. Idempotent per change order line: a repeat returns the successor made
 * the first time and changes nothing.
 */
export async function applyPortfolioChange(sql: Queryable, change: PortfolioChange): Promise<PortfolioEntry> {
  const [done] = await sql<PortfolioRow[]>`SELECT ${sql.unsafe(COLUMNS)} FROM portfolio_products WHERE source_case_id = ${change.sourceCaseId}`;
  if (done) return toEntry(done);
  const [old] = await sql<PortfolioRow[]>`SELECT ${sql.unsafe(COLUMNS)} FROM portfolio_products WHERE id = ${change.entryId} FOR UPDATE`;
  if (!old || old.end_date !== null || old.company_id !== change.companyId) {
    throw new PortfolioConflictError(
      `${change.number} is no longer an active product of the company${old?.ended_by_case_id ? ` (ended by ${old.ended_by_case_id})` : ''}: the ${change.change} change cannot be recorded`,
    );
  }
  // a change takes effect no earlier than the entry began (a switch-ISP entry starts on its switch date)
  const date = String(old.start_date) > change.date ? (String(old.start_date) as IsoDate) : change.date;
  await endEntry(sql, old.id, date, change.sourceCaseId);
  // slide 64: a product conversion (swap) keeps the line and its number; the product and access type change
  const productCode = change.productCode ?? old.product_code;
  const accessType = change.productCode ? (PRODUCT_CATALOG.get(change.productCode)?.accessType ?? null) : old.access_type;
  return addToPortfolio(sql, {
    sourceCaseId: change.sourceCaseId,
    companyId: change.companyId,
    operator: old.operator,
    lineId: old.line_id,
    number: old.number,
    numberKind: old.number_kind,
    productCode,
    accessType,
    speedMbps: change.speedMbps,
    equipment: change.equipment,
    addressId: change.address.id,
    addressLabel: change.address.label,
    endUser: old.end_user,
    startDate: date,
  });
}
