// X-2 Kapaks: availability check in the access network (O-10, O-11), and look-up of an
// existing line by its number (O-4). Answers come from adapters/data/lines.json.
//
// Colour rule (deterministic, first match wins), for a line and the product asked for:
//   1. line record inconsistent in the network database          → yellow, system error
//      (a technician cannot be booked, the order may be submitted; O-10)
//   2. the line is a fibre circuit (copper products need a pair)  → red
//   3. ADSL/SHDSL at an address in connection zone 3               → red (no xDSL coverage)
//   4. ADSL: loop > 5 500 m → red; 4 000–5 500 m → yellow, no clear answer
//      SHDSL: loop > 4 500 m → red; 3 000–4 500 m → yellow, no clear answer
//      (book the technician yourself and submit; O-10)
//   5. otherwise                                                    → green
// An address with no line in its building gets one answer for a new pair (lineId "NEW-<addressId>"):
// zone 3 → red for ADSL/SHDSL, yellow (no clear answer) otherwise; zones 1–2 → green.
// Capacity and co-location products are not checked (O-10): AdapterRejectedError.
import type { Address, AddressRegister } from './address-register';
import { ADDRESSES } from './address-register';
import { AdapterRejectedError, AdapterTimeoutError, AdapterUnavailableError, FaultInjector, type FaultConfig } from './faults';
import { LINES, normaliseNumber, type ExistingLine } from './lines';
import { PRODUCT_CATALOG, type Product } from './price-list';

export type Colour = 'green' | 'yellow' | 'red';

export interface AvailabilityLine {
  lineId: string;
  phoneNumber?: string;
  circuitNumber?: string;
  addressId: string;
  addressLabel: string;
  colour: Colour;
  /** Yellow only: 'system_error' → no technician booking, may submit; 'unclear' → book yourself, submit (O-10). */
  yellowKind?: 'system_error' | 'unclear';
  /** Why the colour (O-10), in English. */
  reason: string;
}

export type AvailabilityQuery = { phoneNumber: string } | { circuitNumber: string } | { addressId: string };

export interface LineLookup {
  line: ExistingLine;
  address: Address;
}

export interface Kapaks {
  /** Address search may return several lines (the building's); phone/circuit exactly one, or AdapterRejectedError. */
  check(q: AvailabilityQuery & { productCode: string }): Promise<AvailabilityLine[]>;
  /** O-4: the end user and address of an existing line by its number; AdapterRejectedError when unknown. */
  lookupLine(q: { phoneNumber: string } | { circuitNumber: string }): Promise<LineLookup>;
}

/** Known answers (stable ids from the generators) for tests elsewhere. */
export const KAPAKS_EXAMPLES = {
  /** Kirkeveien 64B H0201, zone 1, loop 850 m: Jara ADSL → green. */
  green: { phoneNumber: '22604411', lineId: 'LIN-000001', addressId: 'adr-0001', productCode: 'JARA-ADSL-DELT' },
  /** Kirkegata 15 Oslo: line record inconsistent → yellow, system error (no technician booking), any product. */
  yellow: { phoneNumber: '22415500', lineId: 'LIN-000006', addressId: 'adr-0004', productCode: 'PSTN', yellowKind: 'system_error' },
  /** Trondheimsveien 235, zone 2, loop 4 720 m: ADSL → yellow, no clear answer (book technician yourself). */
  yellowUnclear: { phoneNumber: '22655147', lineId: 'LIN-000008', addressId: 'adr-0006', productCode: 'JARA-ADSL-FULL', yellowKind: 'unclear' },
  /** Sognefjellsvegen 12, Lom, zone 3: ADSL → red (no coverage); the same line is green for PSTN. */
  red: { phoneNumber: '61211734', lineId: 'LIN-000012', addressId: 'adr-0009', productCode: 'JARA-ADSL-DELT' },
  /** Fibre circuit at Karl Johans gate 22: any copper product → red. */
  circuit: { circuitNumber: 'OSL-893637', lineId: 'LIN-000004', addressId: 'adr-0003' },
  /** Two lines at this address (ADSL + PSTN) and a third in the neighbouring flat (adr-0002): address search returns 3. */
  multiLineAddressId: 'adr-0001',
  /** Three lines at one address (Ethernet circuit, ISDN, PSTN). */
  threeLineAddressId: 'adr-0003',
  /** Kirkegata 28, 0153 OSLO (zone 1), no line in the building: one "NEW-adr-0069" answer, green. */
  noLineAddressId: 'adr-0069',
  /** Time-outs are switched on with faults.set({ timeoutRate: 1, timeoutMs }) (O-11). */
} as const;

const ADSL_LIMITS = { red: 5_500, yellow: 4_000 };
const SHDSL_LIMITS = { red: 4_500, yellow: 3_000 };

/** Building of an address: flats and floors share it ("several lines at the address", O-10). */
function buildingKey(a: Address): string {
  if (a.street) return `s|${a.street}|${a.houseNumber ?? ''}|${a.houseLetter ?? ''}|${a.postcode}`;
  if (a.insa) return `i|${a.insa}`;
  if (a.cadastral) return `c|${a.cadastral.municipalityNo}|${a.cadastral.gnr}|${a.cadastral.bnr}`;
  return `a|${a.id}`;
}

const staticAddress = new Map(ADDRESSES.map((a) => [a.id, a]));
const linesByBuilding = new Map<string, ExistingLine[]>();
const lineByNumber = new Map<string, ExistingLine>();
for (const l of LINES) {
  const a = staticAddress.get(l.addressId);
  if (!a) throw new Error(`lines.json: ${l.lineId} points at unknown address ${l.addressId}`);
  const key = buildingKey(a);
  linesByBuilding.set(key, [...(linesByBuilding.get(key) ?? []), l]);
  if (l.phoneNumber) lineByNumber.set(l.phoneNumber, l);
  if (l.circuitNumber) lineByNumber.set(l.circuitNumber, l);
}

function assess(line: ExistingLine | undefined, address: Address, product: Product): Pick<AvailabilityLine, 'colour' | 'yellowKind' | 'reason'> {
  const xdsl = product.family === 'adsl' || product.family === 'shdsl';
  if (!line) {
    if (address.zone === 3 && xdsl) return { colour: 'red', reason: `No xDSL coverage in connection zone 3 (${address.town}): ${product.name} cannot be delivered` };
    if (address.zone === 3) return { colour: 'yellow', yellowKind: 'unclear', reason: 'No existing line at the address and no free-pair data for the area: book the technician yourself and submit' };
    return { colour: 'green', reason: `No existing line; free copper pairs available in the area for ${product.name}` };
  }
  if (line.recordStatus === 'inconsistent') {
    return {
      colour: 'yellow',
      yellowKind: 'system_error',
      reason: `System error: the network record of line ${line.lineId} is inconsistent; a technician cannot be booked, but the order may be submitted`,
    };
  }
  if (line.medium === 'fibre') return { colour: 'red', reason: `Line ${line.lineId} is a fibre circuit; ${product.name} needs a copper pair` };
  if (xdsl && address.zone === 3) return { colour: 'red', reason: `No xDSL coverage in connection zone 3 (${address.town}): ${product.name} cannot be delivered` };
  const loop = line.loopLengthMeters ?? 0;
  if (xdsl) {
    const limits = product.family === 'adsl' ? ADSL_LIMITS : SHDSL_LIMITS;
    if (loop > limits.red) return { colour: 'red', reason: `Copper loop of ${loop} m exceeds the ${limits.red} m limit for ${product.name}` };
    if (loop >= limits.yellow) {
      return { colour: 'yellow', yellowKind: 'unclear', reason: `Copper loop of ${loop} m is near the limit for ${product.name}: no clear answer; book the technician yourself and submit` };
    }
  }
  return { colour: 'green', reason: `${product.name} can be delivered on line ${line.lineId} (copper loop ${loop} m)` };
}

export class KapaksSimulator implements Kapaks {
  readonly faults: FaultInjector;
  private readonly addresses: AddressRegister;

  constructor(opts: { addresses: AddressRegister; faults?: Partial<FaultConfig>; random?: () => number }) {
    this.addresses = opts.addresses;
    this.faults = new FaultInjector('kapaks', opts.faults, opts.random);
  }

  check(q: AvailabilityQuery & { productCode: string }): Promise<AvailabilityLine[]> {
    return this.faults.run('check', async () => {
      const reject = (reason: string) => new AdapterRejectedError('kapaks', 'check', reason);
      const product = PRODUCT_CATALOG.get(q.productCode);
      if (!product) throw reject(`unknown product ${q.productCode}`);
      // O-10: every product except capacity products (and co-location)
      if (product.family === 'capacity' || product.family === 'colocation') throw reject(`${product.name} is not checked in Kapaks (capacity products are quoted)`);

      if ('addressId' in q) {
        const address = await this.address('check', q.addressId);
        if (!address) throw reject(`unknown address ${q.addressId}`);
        if (address.postBox) throw reject(`${address.label} is a post-box address, not an installation address`);
        const candidates = linesByBuilding.get(buildingKey(address)) ?? [];
        if (candidates.length === 0) {
          return [{ lineId: `NEW-${address.id}`, addressId: address.id, addressLabel: address.label, ...assess(undefined, address, product) }];
        }
        // the queried address's own lines first, then the rest of the building (the user picks, O-10)
        const ordered = [...candidates.filter((l) => l.addressId === address.id), ...candidates.filter((l) => l.addressId !== address.id)];
        const out: AvailabilityLine[] = [];
        for (const l of ordered) {
          const la = l.addressId === address.id ? address : await this.address('check', l.addressId);
          if (la) out.push(this.answer(l, la, product));
        }
        return out;
      }

      const number = 'phoneNumber' in q ? q.phoneNumber : q.circuitNumber;
      const line = lineByNumber.get(normaliseNumber(number));
      if (!line) throw reject(`no line with number ${number}`);
      const address = await this.address('check', line.addressId);
      if (!address) throw reject(`line ${line.lineId} has no address in the register`);
      return [this.answer(line, address, product)];
    });
  }

  lookupLine(q: { phoneNumber: string } | { circuitNumber: string }): Promise<LineLookup> {
    return this.faults.run('lookupLine', async () => {
      const number = 'phoneNumber' in q ? q.phoneNumber : q.circuitNumber;
      const line = lineByNumber.get(normaliseNumber(number));
      if (!line) throw new AdapterRejectedError('kapaks', 'lookupLine', `no line with number ${number}`);
      const address = await this.address('lookupLine', line.addressId);
      if (!address) throw new AdapterRejectedError('kapaks', 'lookupLine', `line ${line.lineId} has no address in the register`);
      return { line: structuredClone(line), address };
    });
  }

  private answer(l: ExistingLine, a: Address, product: Product): AvailabilityLine {
    return {
      lineId: l.lineId,
      ...(l.phoneNumber ? { phoneNumber: l.phoneNumber } : {}),
      ...(l.circuitNumber ? { circuitNumber: l.circuitNumber } : {}),
      addressId: a.id,
      addressLabel: a.label,
      ...assess(l, a, product),
    };
  }

  /** Kapaks depends on the address register; its failures surface as Kapaks failures. */
  private async address(operation: string, id: string): Promise<Address | undefined> {
    try {
      return await this.addresses.get(id);
    } catch (e) {
      if (e instanceof AdapterTimeoutError) throw new AdapterTimeoutError('kapaks', operation, e.afterMs);
      if (e instanceof AdapterUnavailableError) throw new AdapterUnavailableError('kapaks', operation, `address register: ${e.message}`);
      throw e;
    }
  }
}
