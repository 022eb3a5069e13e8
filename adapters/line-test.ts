// The line-test system (M-2.2): before a trouble ticket is raised the line is tested from the
// exchange. The simulator is deterministic per line (a keyed hash of the number decides whether the
// line has a fault and where), so tests can pick a line with and one without a fault; `setVerdict`
// pins a line's outcome. Latency, time-outs, errors and lost replies come from faults.ts.
import { AdapterRejectedError, FaultInjector, type FaultConfig } from './faults';

export type LineTestVerdict = 'fault_found' | 'no_fault_found';
export type FaultLocation = 'access_network' | 'exchange' | 'customer_premises';

export interface LineTestResult {
  testId: string;
  number: string;
  verdict: LineTestVerdict;
  /** Where the test located the fault (only with fault_found). */
  faultLocation: FaultLocation | null;
  /** The measurement in words, as the test system reports it. */
  detail: string;
  testedAt: string;
}

export interface LineTest {
  /** Tests the line of a phone or circuit number; an unknown or malformed number → AdapterRejectedError. */
  test(input: { number: string; productCode: string }): Promise<LineTestResult>;
}

const LOCATIONS: readonly FaultLocation[] = ['access_network', 'exchange', 'customer_premises'];
const DETAIL: Record<FaultLocation, string> = {
  access_network: 'Loop resistance out of range: open circuit in the access network',
  exchange: 'No sync on the exchange port',
  customer_premises: 'Line OK to the termination point; no response from the customer equipment',
};

/** FNV-1a → [0, 1): the simulated state of a line, fixed per number. */
function hash01(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h / 4294967296;
}

/** The simulator's outcome for a number (without pins): tests use it to pick lines with and without a fault. */
export function simulatedVerdict(number: string, faultShare = 0.5): { verdict: LineTestVerdict; faultLocation: FaultLocation | null } {
  const roll = hash01(`line-test|${number}`);
  if (roll >= faultShare) return { verdict: 'no_fault_found', faultLocation: null };
  return { verdict: 'fault_found', faultLocation: LOCATIONS[Math.floor((roll / faultShare) * LOCATIONS.length)] ?? 'access_network' };
}

export class LineTestSimulator implements LineTest {
  readonly faults: FaultInjector;
  /** Share of lines that have a fault (0…1); default 0.5. */
  readonly faultShare: number;
  private readonly pinned = new Map<string, LineTestVerdict>();
  private runs = 0;

  constructor(opts: { faults?: Partial<FaultConfig>; faultShare?: number; random?: () => number } = {}) {
    this.faults = new FaultInjector('line-test', opts.faults, opts.random);
    this.faultShare = opts.faultShare ?? 0.5;
    if (!(this.faultShare >= 0 && this.faultShare <= 1)) throw new RangeError('faultShare must be within 0…1');
  }

  /** Pins a line's outcome (a fault that appeared or was repaired); undefined returns it to the simulated state. */
  setVerdict(number: string, verdict: LineTestVerdict | undefined): void {
    if (verdict === undefined) this.pinned.delete(number);
    else this.pinned.set(number, verdict);
  }

  test(input: { number: string; productCode: string }): Promise<LineTestResult> {
    return this.faults.run('test', () => {
      if (!/^[A-Z0-9-]{4,20}$/i.test(input.number)) throw new AdapterRejectedError('line-test', 'test', `not a phone or circuit number: ${input.number}`);
      const simulated = simulatedVerdict(input.number, this.faultShare);
      const verdict = this.pinned.get(input.number) ?? simulated.verdict;
      const faultLocation = verdict === 'fault_found' ? (simulated.faultLocation ?? 'access_network') : null;
      this.runs++;
      return {
        testId: `LT-${String(this.runs).padStart(6, '0')}-${Math.floor(hash01(`${input.number}|${this.runs}`) * 1e6)}`,
        number: input.number,
        verdict,
        faultLocation,
        detail: faultLocation ? DETAIL[faultLocation] : 'Line tested OK end to end: sync, loop resistance and insulation within limits',
        testedAt: new Date().toISOString(),
      };
    });
  }
}
