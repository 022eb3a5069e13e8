// Number handling for PSTN and ISDN (O-12, O-20, M-1). Deck, "Booking av montør": "Du skal altså
// booke montør når Kapaks tillater det og produktet som bestilles er … PSTN (med mulighet for
// nummerreservasjon) ISDN (med mulighet for nummerreservasjon)". A number is reserved with the
// technician booking of a draft line; the reservation lapses at the draft's O-20 auto-cancel unless
// the order is submitted (then the numbering system holds it for the line); the number is assigned
// when the line reaches Finished (F) and is the one the product has in the portfolio (M-1). Pure:
// the API asks decideNumberReservation on the read model, the order workflow's validator asks it again.
import { notAllowedRefusal, invalidRefusal, type Refusal } from './refusal';
import type { LineStatus } from './order';

/** The product families whose new lines get a phone number from the numbering system. */
export const NUMBERED_FAMILIES: readonly string[] = ['pstn', 'isdn'];

export function getsNumberFromNumbering(productFamily: string | null | undefined): boolean {
  return productFamily !== null && productFamily !== undefined && NUMBERED_FAMILIES.includes(productFamily);
}

/**
 * The number of a line: 'reserved' with the booking (lapses at `expiresAt`, the draft's O-20
 * auto-cancel), 'held' once the order is submitted, 'assigned' when the line is delivered (F),
 * 'expired' when the draft was not submitted in time.
 */
export interface LineNumber {
  reservationId: string;
  number: string;
  status: 'reserved' | 'held' | 'assigned' | 'expired';
  expiresAt: string | null;
}

/** The number as it is now: a reservation past its time has lapsed (the numbering system frees it then). */
export function numberAsSeen(n: LineNumber | null | undefined, now: Date): LineNumber | null {
  if (!n) return null;
  if (n.status === 'reserved' && n.expiresAt !== null && Date.parse(n.expiresAt) <= now.getTime()) return { ...n, status: 'expired' };
  return n;
}

/** What the decision needs of the order (the read model's view or the workflow's state). */
export interface NumberDecisionView {
  number: string;
  status: string;
  phase: 'draft' | 'submitted' | 'cancelled';
  revision: number;
  autoCancelAt: string | null;
  lines: Array<{ lineNo: number; status: LineStatus; booking: unknown; numberReservation?: LineNumber | null | undefined }>;
}

/** O-12: may the user reserve a number for this line now? */
export function decideNumberReservation(view: NumberDecisionView, lineNo: number, productFamily: string | null | undefined, now: Date): Refusal | undefined {
  const refuse = (message: string) => notAllowedRefusal({ status: view.status, action: 'reserveNumber', allowedActions: [], rule: 'O-12', message });
  if (view.phase !== 'draft' || view.revision > 0 || view.autoCancelAt === null) {
    return refuse(`a number is reserved with the booking while the order is New and not yet submitted: ${view.number} is ${view.status}`);
  }
  const line = view.lines.find((l) => l.lineNo === lineNo);
  if (!line) return invalidRefusal([{ field: 'lineNo', rule: 'O-9', message: `${view.number} has no line ${lineNo}` }]);
  if (!getsNumberFromNumbering(productFamily)) return refuse('number reservation is for PSTN and ISDN lines (O-12)');
  if (!line.booking) return refuse(`book a technician for line ${lineNo} first: the number is reserved with the booking (O-12)`);
  const current = numberAsSeen(line.numberReservation, now);
  if (current && current.status !== 'expired') return refuse(`line ${lineNo} already has number ${current.number} reserved`);
  return undefined;
}
