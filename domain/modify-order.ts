// Change orders (Modify) on a portfolio product (rules M-1, O-13; O-3, O-5, O-6, O-10, O-19 as
// they apply to a change): change the speed or the equipment of a delivered product, or move it to
// a new address (O-13: a move is a change order on the existing circuit, never a new order). A
// change order is an order of kind 'modify' with ONE line that refers to the portfolio entry it
// changes and runs through the ordinary line workflow. Pure: the API (create, validation, submit),
// validateOrderDraft and the line workflow (portfolio change when the line is Finished) use it.
// A product conversion or swap (change 'product', slide 64, C-6) is the same kind of order with
// its own kind, 'product_swap': its line is cancelled only through a service request (C-6).
import type { InstallationAddress, LineFacts, LineModification, ModifyChange, OrderDraft, OrderProblem, ProductFacts } from './order-draft';
import { MODIFY_CHANGES } from './order-draft';
import type { OrderKind } from './order';
import type { IsoDate } from './time';

export { MODIFY_CHANGES, type LineModification, type ModifyChange } from './order-draft';

/** What the user asks for when starting a change order (POST /v1/portfolio/{number}/modify). */
export interface ModifyRequest {
  change: ModifyChange;
  speedMbps?: number | undefined;
  equipment?: string | undefined;
  newAddress?: InstallationAddress | undefined;
  /** change 'product': the product to convert to (slide 64, C-6). */
  productCode?: string | undefined;
}

/**
 * Slide 76 (C-6): "produktbytte mellom Jara ADSL produkter, OA produkter og Jara HDSL". The
 * catalogue's Jara HDSL product is Jara SHDSL (family 'shdsl'). Slide 64: changing the access type
 * (shared ↔ full) is such a product conversion, done with Modify once a switch has completed.
 */
export const SWAP_FAMILIES: readonly string[] = ['adsl', 'operator_access', 'shdsl'];

/** The order kind a change makes: a product change is a product swap (C-6), every other change a 'modify'. */
export function orderKindOfChange(change: ModifyChange): Extract<OrderKind, 'modify' | 'product_swap'> {
  return change === 'product' ? 'product_swap' : 'modify';
}

/** Orders started from a portfolio product (Modify): change orders and product swaps. */
export function isChangeOrderKind(kind: OrderKind): boolean {
  return kind === 'modify' || kind === 'product_swap';
}

/** The request field each change needs; a change order makes exactly one change. */
const FIELD_OF_CHANGE: Record<ModifyChange, 'speedMbps' | 'equipment' | 'newAddress' | 'productCode'> = {
  speed: 'speedMbps',
  equipment: 'equipment',
  move: 'newAddress',
  product: 'productCode',
};

/** G-1: each change needs its own field and takes no other change's field (every problem at once). */
export function modifyRequestProblems(req: ModifyRequest): OrderProblem[] {
  const out: OrderProblem[] = [];
  for (const change of MODIFY_CHANGES) {
    const field = FIELD_OF_CHANGE[change];
    const given = req[field] !== undefined;
    if (change === req.change && !given) {
      out.push({
        field,
        rule: change === 'move' ? 'O-3' : 'O-6',
        message:
          change === 'speed'
            ? "required with change 'speed': the new speed in Mbit/s"
            : change === 'equipment'
              ? "required with change 'equipment': the new equipment"
              : change === 'product'
                ? "required with change 'product': the product to convert to (C-6)"
                : "required with change 'move': the new installation address ({ addressId } from the address register)",
      });
    }
    // a product change gives the new product's speed with it (O-6)
    const speedOfNewProduct = change === 'speed' && req.change === 'product';
    if (change !== req.change && given && !speedOfNewProduct) {
      out.push({ field, rule: 'O-13', message: `only with change '${change}': a change order makes one change; start another change order for it` });
    }
  }
  return out;
}

/** O-10: a speed or equipment change on the same line needs no availability check; a move does (new address). */
export function needsAvailabilityCheck(line: { modification?: LineModification | null | undefined }): boolean {
  return !line.modification || line.modification.change === 'move';
}

/** O-19 *interpretation* for change orders: two open change orders of one company on the same product. */
export function modifyDuplicateKey(companyId: string, number: string): string {
  return `dup|${companyId}|modify|${number}`;
}

/** The read model's open key of a change order: one open change order per product and company. */
export function modifyOpenKey(number: string): string {
  return `modify|${number}`;
}

const sameText = (a: string | null | undefined, b: string | null | undefined) => (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase();

/**
 * The problems a change order's lines add to validateOrderDraft (G-1): the change must be a real
 * change of the product it refers to, and only that change. Fields are the draft's (`speedMbps`,
 * `equipment`, `lines.0.address.addressId`), like the rest of the order validation.
 */
export function modificationProblems(
  draft: OrderDraft,
  product: ProductFacts | undefined,
  lineFacts: Record<number, LineFacts>,
  active: { l: OrderDraft['lines'][number]; i: number }[],
): OrderProblem[] {
  if (!isChangeOrderKind(draft.kind)) return [];
  const out: OrderProblem[] = [];
  const add = (field: string, rule: string, message: string) => out.push({ field, rule, message });
  for (const { l, i } of active) {
    const at = `lines.${i}`;
    const m = l.modification;
    if (!m) {
      add(at, 'O-13', 'every line of a change order changes a product of the portfolio: start it from the product (POST /v1/portfolio/{number}/modify)');
      continue;
    }
    const cur = m.current;
    if (lineFacts[l.lineNo]?.modifiedEntryActive === false) add(`${at}.modification`, 'M-1', `${m.number} is no longer an active product of your portfolio (ended or changed meanwhile)`);
    if (draft.kind !== orderKindOfChange(m.change)) add(`${at}.modification`, 'C-6', `a ${m.change} change is an order of kind '${orderKindOfChange(m.change)}'`);
    if (m.change === 'product') {
      // slide 64, C-6: a conversion or swap between Jara ADSL, operator access and Jara HDSL products
      if (draft.productCode !== null && draft.productCode === cur.productCode) add('productCode', 'C-6', `${m.number} already is ${cur.productCode}: choose the product to convert to`);
      else if (product && !SWAP_FAMILIES.includes(product.family)) add('productCode', 'C-6', `a product swap is between Jara ADSL, operator access and Jara HDSL products; ${product.name} is not one`);
      if (cur.productFamily !== undefined && !SWAP_FAMILIES.includes(cur.productFamily)) {
        add(`${at}.modification`, 'C-6', `${m.number} (${cur.productCode}) is not a Jara ADSL, operator access or Jara HDSL product: it cannot be swapped`);
      }
    } else if (draft.productCode !== null && draft.productCode !== cur.productCode) {
      add('productCode', 'O-13', `a change order keeps the product ${cur.productCode}: changing the product is a product swap (change 'product'), not a ${m.change} change`);
    }
    if (l.endUser && JSON.stringify(l.endUser) !== JSON.stringify(cur.endUser)) add(`${at}.endUser`, 'M-1', `a change order keeps the end user of ${m.number} (${cur.endUser.name})`);

    // the one change, and nothing else
    if (m.change === 'speed') {
      if (product && !product.needsSpeed) add('speedMbps', 'O-6', `${product.name} has no speed to change`);
      else if (draft.speedMbps !== null && draft.speedMbps === cur.speedMbps) add('speedMbps', 'O-6', `${m.number} already runs at ${cur.speedMbps} Mbit/s: choose another speed`);
    } else if (m.change !== 'product' && draft.speedMbps !== cur.speedMbps) {
      add('speedMbps', 'O-13', `a ${m.change} change keeps the speed (${cur.speedMbps ?? 'none'}): change the speed in its own change order`);
    }
    if (m.change === 'equipment') {
      if (!draft.equipment?.trim()) add('equipment', 'O-6', 'required: the new equipment');
      else if (sameText(draft.equipment, cur.equipment)) add('equipment', 'O-6', `${m.number} already has this equipment: describe the new equipment`);
    } else if (!sameText(draft.equipment, cur.equipment)) {
      add('equipment', 'O-13', `a ${m.change} change keeps the equipment: change the equipment in its own change order`);
    }
    if (m.change === 'move') {
      if (l.address && !l.address.addressId) add(`${at}.address.addressId`, 'O-3', 'a move needs the new address from the address register (addressId; GET /v1/reference/addresses)');
      else if (l.address?.addressId === cur.address.addressId) add(`${at}.address.addressId`, 'O-13', `${m.number} is already at ${cur.address.label}: a move needs another address`);
    } else if (l.address?.addressId !== cur.address.addressId) {
      add(`${at}.address`, 'O-13', `a ${m.change} change is made at the product's address (${cur.address.label}); to move the product, start a move`);
    }
  }
  return out;
}

/** What a Finished modify line does to the portfolio: the entry ends on the date and its successor starts. */
export interface PortfolioChange {
  /** The order line's case ID: the key that makes the change happen once. */
  sourceCaseId: string;
  companyId: string;
  /** The entry that ends. */
  entryId: string;
  change: ModifyChange;
  /** change 'product': the product the entry's successor has (slide 64); absent: the product stays. */
  productCode?: string;
  number: string;
  speedMbps: number | null;
  equipment: string | null;
  address: { id: string; label: string };
  date: IsoDate;
}

/**
 * M-1: the portfolio change of a Finished modify line (undefined for any other line). The new entry
 * keeps the number, line, product (but for a product swap, slide 64) and end user and takes the line's delivered speed and equipment;
 * a move takes the line's (new) address, every other change keeps the product's address.
 */
export function portfolioChangeOf(
  l: {
    caseId: string;
    companyId: string;
    productCode?: string;
    speedMbps: number | null;
    equipment: string | null;
    line: { address: InstallationAddress | null; modification?: LineModification | null | undefined };
  },
  date: IsoDate,
): PortfolioChange | undefined {
  const m = l.line.modification;
  if (!m) return undefined;
  const moved = m.change === 'move' && l.line.address?.addressId ? l.line.address : undefined;
  const address = moved?.addressId ? { id: moved.addressId, label: moved.label ?? moved.addressId } : { id: m.current.address.addressId, label: m.current.address.label };
  return {
    sourceCaseId: l.caseId,
    companyId: l.companyId,
    entryId: m.portfolioEntryId,
    change: m.change,
    ...(m.change === 'product' && l.productCode ? { productCode: l.productCode } : {}),
    number: m.number,
    speedMbps: l.speedMbps,
    equipment: l.equipment?.trim() ? l.equipment.trim() : null,
    address,
    date,
  };
}
