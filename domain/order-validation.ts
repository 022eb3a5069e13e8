// The order draft and its validation (O-2…O-13, G-1): ONE pure function that returns every
// problem at once — field, rule ID, message — used by the draft-validation route and by submit.
// Facts that need the wholesaler's systems (product, address register, existing lines) are
// looked up by the caller and passed in, so this stays pure and safe in workflow code.
import { BOOKABLE_FAMILIES, bookingExpected, isAccessProduct, lookupAllowed, PROJECT_MAX_LINES, TERMINAL_LINE_STATUSES, UNCHECKED_FAMILIES } from './order';
import { addCalendarDays, calendarDaysBetween, type IsoDate, isValidIsoDate } from './time';
import { modificationProblems, needsAvailabilityCheck } from './modify-order';
import type { EndUser, InstallationAddress, LineFacts, OrderDraft, OrderProblem, ValidationContext } from './order-draft';

export type {
  AvailabilityCandidate,
  AvailabilityResult,
  BookingRef,
  Contact,
  DraftLine,
  EndUser,
  InstallationAddress,
  LineFacts,
  LookedUpEndUser,
  LookupResult,
  OrderDraft,
  OrderHeader,
  OrderProblem,
  ProductFacts,
  QuoteLineRef,
  References,
  ValidationContext,
} from './order-draft';

const PHONE = /^\d{8,15}$/;
/** O-3: a room number written into the flat field ("romnr 12", "rom 3", "room 214"). */
const ROOM_WORD = /^\s*(rom(nr|nummer)?|room)\b\.?/i;
const ORG_WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2];

/** O-2: a Norwegian organisation number: 9 digits with a modulus-11 check digit. */
export function isValidOrgNumber(s: string): boolean {
  if (!/^\d{9}$/.test(s)) return false;
  const sum = ORG_WEIGHTS.reduce((acc, w, i) => acc + w * Number(s[i]), 0);
  const check = (11 - (sum % 11)) % 11;
  return check !== 10 && check === Number(s[8]);
}

/** O-2 / O-7: a full name has at least a first and a last name. */
function isFullName(s: string | undefined): boolean {
  return (
    typeof s === 'string' &&
    s
      .trim()
      .split(/\s+/)
      .filter((w) => /\p{L}/u.test(w)).length >= 2
  );
}

function phoneProblem(value: string): string | undefined {
  if (PHONE.test(value)) return undefined;
  if (/[,;/&]| og | or /.test(value) || value.replace(/\D/g, '').length > 15) return 'one number per field: put a second number in phone2';
  if (/\s/.test(value)) return 'digits only, no spaces';
  if (value.startsWith('+')) return 'digits only, no + sign';
  return 'digits only, 8 to 15 of them';
}

const REFERENCE_FIELDS = ['projectReference', 'customerInvoiceRef', 'customerOrderRef'] as const;

/**
 * O-8: hints where the three references look mixed up — shown with the validation, never refusing.
 * The same value in two fields, or a Project Reference on a Standard order, may be a mix-up; the
 * user decides (the deck warns, slide 53, and refuses nothing).
 */
export function orderDraftWarnings(draft: OrderDraft): OrderProblem[] {
  const out: OrderProblem[] = [];
  const refs = draft.references;
  for (let i = 0; i < REFERENCE_FIELDS.length; i++) {
    for (let j = i + 1; j < REFERENCE_FIELDS.length; j++) {
      const a = refs[REFERENCE_FIELDS[i]!];
      const b = refs[REFERENCE_FIELDS[j]!];
      if (a && b && a.trim().toLowerCase() === b.trim().toLowerCase()) {
        out.push({
          field: `references.${REFERENCE_FIELDS[j]}`,
          rule: 'O-8',
          message: `the same value as ${REFERENCE_FIELDS[i]}: check that the references are not mixed up (each means something else)`,
        });
      }
    }
  }
  if (draft.orderType === 'Standard' && refs.projectReference) {
    out.push({ field: 'references.projectReference', rule: 'O-8', message: 'a Project Reference usually ties a Project order together; is this your own reference (Customer Order Ref)?' });
  }
  return out;
}

/**
 * Every problem of a draft at once (G-1). Lines already Cancelled, Rejected or Closed (after a
 * Reopen) are not checked again.
 */
export function validateOrderDraft(draft: OrderDraft, ctx: ValidationContext): OrderProblem[] {
  const out: OrderProblem[] = [];
  const add = (field: string, rule: string, message: string) => out.push({ field, rule, message });
  const product = ctx.product;

  // O-1 / O-6: the product and its technical specification
  if (!draft.productCode) add('productCode', 'O-6', 'required: the product to order');
  else if (!product) add('productCode', 'O-1', `unknown product ${draft.productCode}`);
  else {
    if (!product.orderable) add('productCode', 'O-1', `${product.name} cannot be ordered wholesale`);
    const fromQuote = draft.lines.length > 0 && draft.lines.every((l) => l.quoteLine !== null);
    if (product.quoteOnly && !fromQuote) add('productCode', 'O-1', `${product.name} is a capacity product: order it from a Completed quote line (Q-12)`);
    if (product.needsSpeed) {
      if (draft.speedMbps === null) add('speedMbps', 'O-6', `required: ${product.name} needs a speed (${(product.speedsMbps ?? []).join(', ')} Mbit/s)`);
      else if (!(product.speedsMbps ?? []).includes(draft.speedMbps)) add('speedMbps', 'O-6', `${product.name} is offered at ${(product.speedsMbps ?? []).join(', ')} Mbit/s, not ${draft.speedMbps}`);
    } else if (draft.speedMbps !== null) add('speedMbps', 'O-6', `${product.name} has no speed attribute`);
  }

  // O-9: order type and number of lines
  const active = draft.lines.map((l, i) => ({ l, i })).filter(({ l }) => !TERMINAL_LINE_STATUSES.includes(l.status));
  if (draft.lines.length === 0) add('lines', 'O-9', 'an order has at least one order line');
  else if (active.length === 0) add('lines', 'O-9', 'every line is cancelled: there is nothing left to submit');
  if (draft.orderType === 'Standard' && draft.lines.length > 1) add('lines', 'O-9', `a Standard order has one line (one product for one end user); it has ${draft.lines.length}: use a Project order`);
  if (draft.orderType === 'Project' && draft.lines.length > PROJECT_MAX_LINES) add('lines', 'O-9', `a Project order has at most ${PROJECT_MAX_LINES} lines; it has ${draft.lines.length}`);

  // O-5: requested date within the product's lead time
  if (!draft.requestedDate) add('requestedDate', 'O-5', 'required: the requested delivery date');
  else if (!isValidIsoDate(draft.requestedDate)) add('requestedDate', 'O-5', 'a date YYYY-MM-DD');
  else {
    const days = calendarDaysBetween(ctx.today, draft.requestedDate);
    // O-5: "i henhold til Service Level Agreement (SLA) eller i henhold til tilbakemeldt pristilbud" (slide 51):
    // a date the quote's answer gave is allowed even inside the product's lead time
    const answered = draft.lines.map((l) => l.quoteLine?.answeredDate).filter((d): d is string => typeof d === 'string');
    const asAnswered = answered.length > 0 && answered.every((d) => draft.requestedDate! >= d);
    if (days < 0) add('requestedDate', 'O-5', `${draft.requestedDate} is in the past`);
    else if (product && days < product.leadTimeDays && !asAnswered) {
      add('requestedDate', 'O-5', `${product.name} has a lead time of ${product.leadTimeDays} days: the earliest date is ${addCalendarDays(ctx.today, product.leadTimeDays)}`);
    } else if (days > 365) add('requestedDate', 'O-5', 'at most one year ahead');
  }

  // O-7: contact person and phones
  const c = draft.contact;
  if (!c.name?.trim()) add('contact.name', 'O-7', "required: the contact person's full name");
  else if (!isFullName(c.name)) add('contact.name', 'O-7', 'give the full name (first and last name)');
  if (!c.phone?.trim()) add('contact.phone', 'O-7', 'required: a phone number the contact answers the day before installation');
  else {
    const p = phoneProblem(c.phone);
    if (p) add('contact.phone', 'O-7', p);
  }
  if (c.phone2 !== undefined && c.phone2 !== '') {
    const p = phoneProblem(c.phone2);
    if (p) add('contact.phone2', 'O-7', p);
    else if (c.phone2 === c.phone) add('contact.phone2', 'O-7', 'the second contact phone repeats the first');
  }

  // O-8: three reference fields that must not be mixed. The deck (slide 53) names the risk, not a
  // refusal: "Feltene Project Reference, Customer Invoice Ref: og Customer Order Ref: kan lett blandes
  // sammen og brukes i gale sammenhenger." Equal values and a Project Reference on a Standard order are
  // warnings (orderDraftWarnings), never a reason to refuse the order.
  const refs = draft.references;
  for (const f of REFERENCE_FIELDS) {
    const v = refs[f];
    if (v !== undefined && !/^[\p{L}\p{N} ._\-/#:]{1,50}$/u.test(v)) add(`references.${f}`, 'O-8', '1–50 letters, digits, spaces or . _ - / # :');
  }
  if (draft.orderType === 'Project' && !refs.projectReference) add('references.projectReference', 'O-9', 'required on a Project order: it ties the coordinated installation together');

  // every line
  const seenAddresses = new Map<string, number>();
  for (const { l, i } of active) {
    const at = `lines.${i}`;
    const facts = ctx.lineFacts[l.lineNo] ?? {};
    // O-9 / O-19: a Project order delivers to different end users; the same address twice is a duplicate
    const key = addressKey(l.address);
    const earlier = key ? seenAddresses.get(key) : undefined;
    if (earlier !== undefined) add(`${at}.address`, 'O-19', `the same installation address as line ${earlier}: one line per end user`);
    else if (key) seenAddresses.set(key, l.lineNo);
    validateEndUser(l.endUser, `${at}.endUser`, ctx.today, add);
    validateAddress(l.address, `${at}.address`, facts, add, true);
    if (product?.twoEnded) validateAddress(l.addressB, `${at}.addressB`, {}, add, false);
    if (l.lookup && !l.lookup.confirmed) add(`${at}.lookup`, 'O-4', `confirm the end user and address found for ${l.lookup.number}, or clear the look-up`);
    if (l.lookup && product && !lookupAllowed(product.family, product.accessType)) add(`${at}.lookup`, 'O-4', 'look-up by line number is for ADSL and shared operator access');

    // O-10: a speed or equipment change on the same line needs no check; a move does (domain/modify-order.ts)
    if (product && !(UNCHECKED_FAMILIES as readonly string[]).includes(product.family) && needsAvailabilityCheck(l)) {
      const a = l.availability;
      if (!a) add(`${at}.availability`, 'O-10', 'run the availability check (Kapaks) for this line');
      else if (a.outcome === 'answered') {
        const chosen = a.candidates.find((x) => x.lineId === a.selectedLineId);
        if (!chosen) add(`${at}.availability`, 'O-10', `the check found ${a.candidates.length} lines: pick the one at the customer's address`);
        else if (chosen.colour === 'red') add(`${at}.availability`, 'O-10', `red: ${product.name} cannot be delivered (${chosen.reason})`);
      }
    }
    // O-12: where Kapaks allows it and a slot is free, the user books the technician before submit
    if (!l.booking && (facts.freeSlots ?? 0) > 0 && bookingExpected(draft, product?.family, l.availability)) {
      add(
        `${at}.booking`,
        'O-12',
        `book a technician (GET …/lines/${l.lineNo}/slots, POST …/lines/${l.lineNo}/booking): Kapaks allows it and ${facts.freeSlots} slots are free; the booking confirms the delivery date`,
      );
    }
    if (l.booking) {
      if (draft.orderType === 'Project') add(`${at}.booking`, 'O-9', 'no technician booking on a Project order');
      if (product && !(BOOKABLE_FAMILIES as readonly string[]).includes(product.family)) add(`${at}.booking`, 'O-12', `${product.name} is not booked by the user`);
    }
    // O-13 refuses NEW orders; a change order on the very product is what O-13 asks for
    // O-13: another provider's customer — what to do, never what they have (number, product, provider)
    const e = facts.existingAccess;
    // a change order on the very product is what O-13 asks for
    if (product && isAccessProduct(product.family) && e && !(e.holder === 'own' && l.modification?.number === e.number)) {
      add(
        `${at}.endUser`,
        'O-13',
        e.holder === 'own'
          ? `the end user already has ${e.productCode} (${e.number}) from you at this address: change it with a change order, not a new order`
          : e.sameAddress
            ? 'the end user already has an access line from another provider at this address: use a switch-ISP order (I-1), not a new order'
            : 'the end user has an access line from another provider at another address: a move is a change order on that line by its provider; to take the end user over, use a switch-ISP order (I-1)',
      );
    }
  }
  // M-1, O-13: a change order changes one portfolio product, and only in the way it says
  out.push(...modificationProblems(draft, product, ctx.lineFacts, active));
  return out;
}

function validateEndUser(u: EndUser | null, at: string, today: IsoDate, add: (f: string, r: string, m: string) => void) {
  if (!u) {
    add(at, 'O-2', 'required: the end user (a person with date of birth, or a company with organisation number)');
    return;
  }
  if (u.kind === 'person') {
    if (!isFullName(u.name)) add(`${at}.name`, 'O-2', "the person's correct full name (first and last name)");
    if (!u.birthDate) add(`${at}.birthDate`, 'O-2', "required: the person's date of birth");
    else if (!isValidIsoDate(u.birthDate)) add(`${at}.birthDate`, 'O-2', 'a date YYYY-MM-DD');
    else if (calendarDaysBetween(u.birthDate, today) < 18 * 365) add(`${at}.birthDate`, 'O-2', 'the end user must be at least 18 years old');
    else if (calendarDaysBetween(u.birthDate, today) > 120 * 366) add(`${at}.birthDate`, 'O-2', 'not a plausible date of birth');
  } else {
    if (!u.name?.trim() || u.name.trim().length < 2) add(`${at}.name`, 'O-2', 'the company name');
    if (!u.orgNumber) add(`${at}.orgNumber`, 'O-2', 'required: the organisation number');
    else if (!isValidOrgNumber(u.orgNumber)) add(`${at}.orgNumber`, 'O-2', 'not a valid organisation number (9 digits with check digit)');
  }
}

function validateAddress(a: InstallationAddress | null, at: string, facts: LineFacts, add: (f: string, r: string, m: string) => void, required: boolean) {
  if (!a) {
    if (required) add(at, 'O-3', 'required: the installation address (street address, cadastral reference or INSA signature)');
    else add(at, 'Q-2', 'required: address B of a two-ended circuit');
    return;
  }
  if (a.addressId !== undefined) {
    const r = facts.registerAddress;
    if (r && !r.known) add(`${at}.addressId`, 'O-3', `unknown address ${a.addressId}: search the address register`);
    else if (r?.postBox) add(`${at}.addressId`, 'O-3', 'a post-box address is not an installation address: give the visiting address');
    return;
  }
  const hasStreet = a.street !== undefined || a.houseNumber !== undefined || a.postcode !== undefined || a.town !== undefined;
  if (hasStreet) {
    if (!a.street?.trim()) add(`${at}.street`, 'O-3', 'required: the street');
    if (a.houseNumber === undefined) add(`${at}.houseNumber`, 'O-3', 'required: the house number');
    if (!a.postcode) add(`${at}.postcode`, 'O-3', 'required: the postcode');
    else if (!/^\d{4}$/.test(a.postcode)) add(`${at}.postcode`, 'O-3', 'a postcode is 4 digits');
    if (!a.town?.trim()) add(`${at}.town`, 'O-3', 'required: the town');
    // O-3 "leilighetsnr./romnr der dette finnes" (slide 50): a flat OR a room number; a room is never
    // judged by the flat pattern (also when typed into the flat field as "romnr 12")
    const roomInFlat = a.flat !== undefined && ROOM_WORD.test(a.flat);
    const room = a.room ?? (roomInFlat ? a.flat : undefined);
    const flat = roomInFlat ? undefined : a.flat;
    if (flat !== undefined && !/^[HUKL]\d{4}$/.test(flat)) add(`${at}.flat`, 'O-3', 'a flat number like H0201 (H/U/K/L and 4 digits); a room number goes in room');
    if (room !== undefined && !/^[\p{L}\p{N} .\-/]{1,20}$/u.test(room)) add(`${at}.room`, 'O-3', 'a room number: 1–20 letters, digits, spaces or . - /');
    const flats = facts.flatsInBuilding ?? [];
    if (flats.length > 1 && flat === undefined && room === undefined)
      add(`${at}.flat`, 'O-3', `the building has several flats (${flats.slice(0, 5).join(', ')}${flats.length > 5 ? ', …' : ''}): give the flat number`);
    else if (flats.length > 1 && flat !== undefined && !flats.includes(flat)) add(`${at}.flat`, 'O-3', `no flat ${flat} in the building; flats: ${flats.slice(0, 5).join(', ')}`);
    return;
  }
  if (a.cadastral) {
    const cad = a.cadastral;
    if (!/^\d{4}$/.test(cad.municipalityNo)) add(`${at}.cadastral.municipalityNo`, 'O-3', 'a municipality number is 4 digits');
    if (!(Number.isInteger(cad.gnr) && cad.gnr > 0)) add(`${at}.cadastral.gnr`, 'O-3', 'gårdsnummer: a positive whole number');
    if (!(Number.isInteger(cad.bnr) && cad.bnr > 0)) add(`${at}.cadastral.bnr`, 'O-3', 'bruksnummer: a positive whole number');
    return;
  }
  if (a.insa !== undefined) {
    if (!/^[A-Z]{3,4}-INSA-\d{4}$/.test(a.insa)) add(`${at}.insa`, 'O-3', 'an INSA signature like OSL-INSA-0042');
    return;
  }
  add(at, 'O-3', 'give a street address (street, house number, postcode, town), a cadastral reference (gnr/bnr) or an INSA signature');
}

/** A key for the end user's address, the same however the address was given (O-19). */
export function addressKey(a: InstallationAddress | null): string {
  if (!a) return '';
  if (a.addressId) return `id:${a.addressId}`;
  if (a.cadastral) return `cad:${a.cadastral.municipalityNo}/${a.cadastral.gnr}/${a.cadastral.bnr}`;
  if (a.insa) return `insa:${a.insa}`;
  return `adr:${a.street ?? ''}|${a.houseNumber ?? ''}|${a.houseLetter ?? ''}|${a.postcode ?? ''}|${a.flat ?? ''}${a.room ? `|rom:${a.room}` : ''}`.toLowerCase();
}
