// The shapes of an order draft and of the facts its validation needs (O-2…O-13, M-1): types only,
// shared by domain/order-validation.ts and domain/modify-order.ts (which each import from here, not
// from each other) and by the workflows and the API.
import type { AttachmentRef } from './case';
import type { LineStatus, OrderKind, OrderType } from './order';
import type { IsoDate } from './time';
import type { LineNumber } from './numbers';

/** 'product': a product conversion or swap (slide 64, C-6): the order is of kind 'product_swap'. */
export const MODIFY_CHANGES = ['speed', 'equipment', 'move', 'product'] as const;
export type ModifyChange = (typeof MODIFY_CHANGES)[number];

/** The portfolio entry a modify line changes, as it was when the change order was started. */
export interface LineModification {
  change: ModifyChange;
  portfolioEntryId: string;
  /** The phone or circuit number the product is known by (stays the same through the change). */
  number: string;
  lineId: string;
  current: {
    productCode: string;
    speedMbps: number | null;
    equipment: string | null;
    address: { addressId: string; label: string };
    endUser: EndUser;
    /** The catalogue family of the product (slide 64: which products may be swapped); absent on older drafts. */
    productFamily?: string;
  };
}

export type EndUser = { kind: 'person'; name: string; birthDate: string } | { kind: 'company'; name: string; orgNumber: string };

/** O-3: a register address, free address parts, a cadastral reference or an INSA signature. */
export interface InstallationAddress {
  addressId?: string;
  street?: string;
  houseNumber?: number;
  houseLetter?: string;
  postcode?: string;
  town?: string;
  floor?: string;
  entrance?: string;
  flat?: string;
  cadastral?: { municipalityNo: string; gnr: number; bnr: number };
  insa?: string;
  /** O-3: in a large area with earlier installations, an existing phone or circuit number. */
  existingNumber?: string;
  /** The register's label, filled in by the system when addressId is given. */
  label?: string;
}

export interface Contact {
  name?: string;
  phone?: string;
  phone2?: string;
}
export interface References {
  projectReference?: string;
  customerInvoiceRef?: string;
  customerOrderRef?: string;
}

export interface AvailabilityCandidate {
  lineId: string;
  phoneNumber?: string;
  circuitNumber?: string;
  addressId: string;
  addressLabel: string;
  colour: 'green' | 'yellow' | 'red';
  yellowKind?: 'system_error' | 'unclear';
  reason: string;
}

/** O-10 / O-11: the result of the availability check recorded on a line. */
export interface AvailabilityResult {
  query: { phoneNumber?: string; circuitNumber?: string; addressId?: string };
  checkedAt: string;
  /** 'timeout': still no answer after the retries (O-11) → submit without booking, manual handling. */
  outcome: 'answered' | 'timeout';
  attempts: number;
  candidates: AvailabilityCandidate[];
  /** O-10: the line at the customer's address the user picked (set at once when there is one). */
  selectedLineId: string | null;
}

/** O-4: the end user a look-up names: never a person's date of birth (the user gives it when confirming). */
export type LookedUpEndUser = { kind: 'person'; name: string } | { kind: 'company'; name: string; orgNumber: string };

/** O-4: what the look-up by line number returned, and whether the user confirmed it. */
export interface LookupResult {
  number: string;
  endUser: LookedUpEndUser;
  address: { addressId: string; label: string };
  confirmed: boolean;
}

export interface BookingRef {
  bookingId: string;
  slotId: string;
  date: string;
  window: string;
  area: string;
}

/** the quote line an order line was ordered from. */
export interface QuoteLineRef {
  quoteNumber: string;
  quoteCaseId: string;
  lineNo: number;
}

export interface DraftLine {
  lineNo: number;
  endUser: EndUser | null;
  address: InstallationAddress | null;
  /** Two-ended capacity products (from a quote). */
  addressB: InstallationAddress | null;
  attachments: AttachmentRef[];
  lookup: LookupResult | null;
  availability: AvailabilityResult | null;
  booking: BookingRef | null;
  quoteLine: QuoteLineRef | null;
  price: { monthlyRentOre: number; establishmentOre: number } | null;
  /** The line's own status once submitted (mirrored from its workflow); New in a draft. */
  status: LineStatus;
  /** M-1, O-13: on a change order (kind 'modify'), the portfolio product the line changes. */
  modification?: LineModification | null;
  /** O-12: PSTN/ISDN: the number reserved with the booking, then held (submitted) and assigned (F); domain/numbers.ts. */
  numberReservation?: LineNumber | null;
}

export interface OrderHeader {
  kind: OrderKind;
  orderType: OrderType;
  productCode: string | null;
  speedMbps: number | null;
  /** O-6: equipment and add-on services, free text. */
  equipment: string | null;
  requestedDate: IsoDate | null;
  contact: Contact;
  references: References;
}

export interface OrderDraft extends OrderHeader {
  lines: DraftLine[];
}

/** The product facts validation needs. */
export interface ProductFacts {
  code: string;
  name: string;
  family: string;
  accessType?: 'shared' | 'full';
  twoEnded: boolean;
  needsSpeed: boolean;
  speedsMbps?: number[];
  quoteOnly: boolean;
  orderable: boolean;
  leadTimeDays: number;
}

/** Per line, what the address register and the existing lines say (looked up by the caller). */
export interface LineFacts {
  /** the register entry of address.addressId, when given. */
  registerAddress?: { known: boolean; postBox: boolean };
  /** flats in the building of free address parts ("flat where it exists", O-3). */
  flatsInBuilding?: string[];
  /**
   * O-13: the end user already has an access line (ADSL, operator access): from another provider (only
   * that it exists: their customer is never described), or from this company at the same address (a
   * change order is the way). The company's own line elsewhere is no reason to refuse (a second line).
   */
  existingAccess?: { holder: 'other'; sameAddress: boolean } | { holder: 'own'; number: string; productCode: string };
  /** M-1: a modify line's portfolio entry is still the company's current one. */
  modifiedEntryActive?: boolean;
}

export interface ValidationContext {
  today: IsoDate;
  /** undefined when productCode is unknown in the price list. */
  product: ProductFacts | undefined;
  lineFacts: Record<number, LineFacts>;
}

export interface OrderProblem {
  field: string;
  rule: string;
  message: string;
}
