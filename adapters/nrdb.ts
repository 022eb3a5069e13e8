// X-5 NRDB authorisation server (I-4): the authorisation reference a new operator records
// on a switch-ISP order. Data: adapters/data/authorisations.json (generate-lines.ts), tied
// to lines.json. The simulator only reports what NRDB holds; checking that the authoriser is
// the owner, that the reference belongs to the ordered line and is still valid is the caller's.
import { z } from 'zod';
import authData from './data/authorisations.json' with { type: 'json' };
import { FaultInjector, type FaultConfig } from './faults';

export interface Authorisation {
  /** e.g. "NRDB-2026-000123" */
  reference: string;
  phoneNumber?: string;
  lineId: string;
  /** The person (or company) who gave the authorisation. */
  authorisedBy: string;
  /** Current owner of the subscription at the losing operator (I-4: must equal authorisedBy). */
  ownerName: string;
  issuedAt: string;
  validUntil: string;
}

export interface Nrdb {
  lookup(reference: string): Promise<Authorisation | undefined>;
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const AuthorisationSchema = z.strictObject({
  reference: z.string().regex(/^NRDB-\d{4}-\d{6}$/),
  phoneNumber: z
    .string()
    .regex(/^\d{8}$/)
    .optional(),
  lineId: z.string(),
  authorisedBy: z.string().min(1),
  ownerName: z.string().min(1),
  issuedAt: isoDate,
  validUntil: isoDate,
});

export const AUTHORISATIONS: readonly Authorisation[] = Object.freeze(z.array(AuthorisationSchema).parse(authData));
const byRef = new Map(AUTHORISATIONS.map((a) => [a.reference, a]));

/**
 * Documented examples (I-4), stable across regeneration (written first by generate-lines.ts):
 * - valid: owner authorised the switch of her Online ADSL line (Storgata 10A, adr-0005)
 * - notOwner: authorisedBy "Per Hansen" ≠ owner "Ingrid Hansen" (Kirkeveien 64B, adr-0001)
 * - wrongSubscription: a valid authorisation for Sigrid Moen's line 73521188 presented on an
 *   order for Ola Berg's line 22604520
 * - expired: validUntil 2026-02-28
 */
export const NRDB_EXAMPLES = {
  valid: { reference: 'NRDB-2026-000101', phoneNumber: '22171903', lineId: 'LIN-000007', ownerName: 'Nora Bakken', validUntil: '2027-10-01' },
  notOwner: { reference: 'NRDB-2026-000102', phoneNumber: '22604411', lineId: 'LIN-000001', authorisedBy: 'Per Hansen', ownerName: 'Ingrid Hansen' },
  wrongSubscription: { reference: 'NRDB-2026-000103', authorisedPhoneNumber: '73521188', authorisedLineId: 'LIN-000011', orderPhoneNumber: '22604520', orderLineId: 'LIN-000003' },
  expired: { reference: 'NRDB-2025-000104', phoneNumber: '51517459', lineId: 'LIN-000013', validUntil: '2026-02-28' },
  unknown: 'NRDB-2026-999999',
} as const;

export class NrdbSimulator implements Nrdb {
  readonly faults: FaultInjector;

  constructor(opts: { faults?: Partial<FaultConfig>; random?: () => number } = {}) {
    this.faults = new FaultInjector('nrdb', opts.faults, opts.random);
  }

  lookup(reference: string): Promise<Authorisation | undefined> {
    return this.faults.run('lookup', () => {
      const a = byRef.get(reference.trim().toUpperCase());
      return a ? { ...a } : undefined;
    });
  }
}
