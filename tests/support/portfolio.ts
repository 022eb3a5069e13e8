// Test data for switch-ISP: subscriptions of other operators with a valid NRDB authorisation
// given by the owner (I-4), taken from the simulators' data so they match Kapaks and NRDB.
import { AUTHORISATIONS, type Authorisation } from '../../adapters/nrdb';
import { type ExistingLine, LINES } from '../../adapters/lines';
import { NRDB_EXAMPLES } from '../../adapters/nrdb';
import { addCalendarDays, osloDate } from '../../domain/time';

export interface Switchable {
  auth: Authorisation;
  line: ExistingLine;
  phoneNumber: string;
}

export const today = () => osloDate(new Date());
export const daysAhead = (n: number) => addCalendarDays(today(), n);

const anchors = new Set<string>(Object.values(NRDB_EXAMPLES).flatMap((e) => (typeof e === 'string' ? [] : [String((e as { lineId?: string }).lineId ?? '')])));

/** Authorised, owner-given, valid for months, on a line the network database answers for. */
export function switchables(productCode: string): Switchable[] {
  return AUTHORISATIONS.filter((a) => a.authorisedBy === a.ownerName && a.validUntil > addCalendarDays(today(), 60) && a.phoneNumber !== undefined && !anchors.has(a.lineId))
    .map((auth) => ({ auth, line: LINES.find((l) => l.lineId === auth.lineId)!, phoneNumber: auth.phoneNumber! }))
    .filter((x) => x.line.productCode === productCode && x.line.recordStatus === 'ok');
}
