// The product portfolio (M-1): every delivered product — line, circuit, subscription — with the
// company or operator that holds it. Pure rules shared by API, activities and workflows.
import type { Product } from '../adapters/price-list';
import { addCalendarDays, type IsoDate, osloInstant, type RuleDuration } from './time';
import { isSwitched } from './switch-isp';

/** A portfolio entry as the API shows it to the company that holds it. */
export interface PortfolioEntry {
  id: string;
  lineId: string;
  /** The phone number (copper) or circuit number (fibre) the product is known by. */
  number: string;
  numberKind: 'phone' | 'circuit';
  productCode: string;
  productName: string;
  accessType: 'shared' | 'full' | null;
  speedMbps: number | null;
  /** O-6: equipment delivered with the product (changed by an equipment change order); null when none recorded. */
  equipment: string | null;
  address: { id: string; label: string };
  /** The end user who owns the subscription. */
  endUser: PortfolioEndUser;
  /** The operator that holds the product: a company of this system, or another operator (companyId null). */
  operator: string;
  companyId: string | null;
  startDate: IsoDate;
  /** Set when the product ended: switched away (I-1) or terminated (T-2). */
  endDate: IsoDate | null;
  status: 'active' | 'ended';
  /** The case that created the entry (a switch-ISP, an order line); null for delivered-before-the-system products. */
  sourceCaseId: string | null;
  endedByCaseId: string | null;
}

export type PortfolioEndUser = { kind: 'person'; name: string; birthDate: string } | { kind: 'company'; name: string; orgNumber: string };

/**
 * What the order-line workflow (orders issue) hands to addToPortfolio when a line reaches
 * Finished (F): idempotent per source case, so a retried or replayed call adds one entry.
 */
export interface NewPortfolioEntry {
  sourceCaseId: string;
  companyId: string;
  lineId: string;
  number: string;
  numberKind: 'phone' | 'circuit';
  productCode: string;
  accessType: 'shared' | 'full' | null;
  speedMbps: number | null;
  equipment?: string | null;
  addressId: string;
  addressLabel: string;
  endUser: PortfolioEndUser;
  startDate: IsoDate;
}

/** I-1 and slide 65: ADSL and operator access (shared or full) and SHDSL move between operators (domain/switch-isp.ts). */
export function isSwitchable(product: Pick<Product, 'family' | 'accessType'>): boolean {
  return isSwitched(product);
}

/** I-3: broadband in the sense of the switch check — ADSL, operator access, SHDSL. */
export function isBroadband(product: Pick<Product, 'family'>): boolean {
  return product.family === 'adsl' || product.family === 'operator_access' || product.family === 'shdsl';
}

/**
 * When a switch or termination is carried out (I-5, T-2). Production: `calendarDays` after
 * 00:00 Oslo on the requested date (0 → the start of the date itself, whatever the DST offset).
 * Tests: `ms` after `since` (registration or the latest date change), so a timer fires in a test.
 */
export function executionInstant(requestedDate: IsoDate, timing: RuleDuration, since: Date): Date {
  if ('ms' in timing) return new Date(since.getTime() + timing.ms);
  return osloInstant(addCalendarDays(requestedDate, timing.calendarDays));
}

/** Normalised text for a free-text portfolio search (number, address, product, end user). */
export function portfolioSearchTerm(q: string): string {
  return q.trim().toLowerCase().replace(/\s+/g, ' ');
}
