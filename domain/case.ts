// What every case type shares: its identity, its read-model row, attachments (G-4).
import { z } from 'zod';

export const CaseType = z.enum(['service_request', 'quote', 'order', 'order_line', 'switch_isp', 'termination', 'trouble_ticket']);
export type CaseType = z.infer<typeof CaseType>;

/** Workflow IDs say what they are: `service-request:SR-000123`, `order-line:ORD-000042:1`. */
export const CASE_ID_PREFIX: Record<CaseType, string> = {
  service_request: 'service-request',
  quote: 'quote',
  order: 'order',
  order_line: 'order-line',
  switch_isp: 'switch-isp',
  termination: 'termination',
  trouble_ticket: 'trouble-ticket',
};
/** Human case numbers; an order line's number is its order's number and line number (`ORD-000042:1`). */
export const CASE_NUMBER_PREFIX: Record<Exclude<CaseType, 'order_line'>, string> = {
  service_request: 'SR',
  quote: 'Q',
  order: 'ORD',
  switch_isp: 'SW',
  termination: 'TRM',
  trouble_ticket: 'TT',
};

/**
 * Public case numbers reveal no volume: the sequence value goes through a keyed permutation of
 * [0, 10^9) (9 digits), so ORD-000042 is never followed by ORD-000043 and another company's
 * numbers say nothing about how many orders were placed. A permutation keeps numbers unique and
 * short; the key comes from configuration (CASE_NUMBER_KEY) and must never change once cases
 * exist. Sequence values of 10^9 and beyond are permuted per block of 10^9 (10 digits and more).
 */
export function caseNumber(type: Exclude<CaseType, 'order_line'>, sequence: number, key: string = DEV_CASE_NUMBER_KEY): string {
  return `${CASE_NUMBER_PREFIX[type]}-${String(publicSequence(sequence, key)).padStart(9, '0')}`;
}

/** The development default of CASE_NUMBER_KEY (README): fine for tests and `npm start`, not for production. */
export const DEV_CASE_NUMBER_KEY = 'samband-development-case-number-key';
export const CASE_NUMBER_SPACE = 1_000_000_000;

/** The public number of a sequence value: a bijection of each block of 10^9 values onto itself. */
export function publicSequence(sequence: number, key: string): number {
  if (!Number.isSafeInteger(sequence) || sequence < 0) throw new RangeError(`not a sequence value: ${sequence}`);
  const block = Math.floor(sequence / CASE_NUMBER_SPACE);
  return block * CASE_NUMBER_SPACE + keyedPermutation(sequence % CASE_NUMBER_SPACE, CASE_NUMBER_SPACE, key, block);
}

/**
 * A keyed permutation of [0, size): a balanced Feistel network over the smallest even number of
 * bits that covers size, with cycle walking (a value that lands outside [0, size) is permuted
 * again until it lands inside, which keeps it a bijection of [0, size)). The round function is
 * a HalfSipHash-style keyed mix, in plain 32-bit arithmetic so workflow code may import it.
 */
export function keyedPermutation(value: number, size: number, key: string, tweak = 0): number {
  if (!Number.isInteger(size) || size < 2 || size > 2 ** 32) throw new RangeError(`permutation size out of range: ${size}`);
  if (!Number.isInteger(value) || value < 0 || value >= size) throw new RangeError(`${value} is not in [0, ${size})`);
  let bits = Math.ceil(Math.log2(size));
  if (bits % 2 === 1) bits++;
  const half = bits / 2;
  const mask = 2 ** half - 1;
  const [k0, k1] = deriveKey(key);
  let x = value;
  do {
    let left = Math.floor(x / 2 ** half);
    let right = x % 2 ** half;
    for (let round = 0; round < FEISTEL_ROUNDS; round++) {
      const f = prf(k0, k1 ^ tweak, round, right) & mask;
      [left, right] = [right, (left ^ f) >>> 0];
    }
    x = left * 2 ** half + right;
  } while (x >= size);
  return x;
}

const FEISTEL_ROUNDS = 8;

const rotl = (v: number, n: number) => ((v << n) | (v >>> (32 - n))) >>> 0;

/** One HalfSipHash round over the state (32-bit words). */
function sipRound(v: [number, number, number, number]): void {
  v[0] = (v[0] + v[1]) >>> 0;
  v[1] = rotl(v[1], 5) ^ v[0];
  v[0] = rotl(v[0], 16);
  v[2] = (v[2] + v[3]) >>> 0;
  v[3] = rotl(v[3], 8) ^ v[2];
  v[0] = (v[0] + v[3]) >>> 0;
  v[3] = rotl(v[3], 7) ^ v[0];
  v[2] = (v[2] + v[1]) >>> 0;
  v[1] = rotl(v[1], 13) ^ v[2];
  v[2] = rotl(v[2], 16);
  for (let i = 0; i < 4; i++) v[i] = v[i]! >>> 0;
}

/** HalfSipHash-2-4-style keyed hash of 32-bit words. */
function sipHash(k0: number, k1: number, words: readonly number[]): [number, number] {
  const v: [number, number, number, number] = [k0 >>> 0, k1 >>> 0, (0x6c796765 ^ k0) >>> 0, (0x74656462 ^ k1) >>> 0];
  for (const m of [...words, words.length]) {
    v[3] = (v[3] ^ m) >>> 0;
    sipRound(v);
    sipRound(v);
    v[0] = (v[0] ^ m) >>> 0;
  }
  v[2] = (v[2] ^ 0xff) >>> 0;
  for (let i = 0; i < 4; i++) sipRound(v);
  const a = (v[1] ^ v[3]) >>> 0;
  v[1] = (v[1] ^ 0xdd) >>> 0;
  for (let i = 0; i < 4; i++) sipRound(v);
  return [a, (v[1] ^ v[3]) >>> 0];
}

function prf(k0: number, k1: number, round: number, input: number): number {
  return sipHash(k0, k1, [round, input])[0];
}

/** 64 key bits from the configured secret (its UTF-16 code units hashed under a fixed key). */
function deriveKey(key: string): [number, number] {
  const words: number[] = [];
  for (let i = 0; i < key.length; i += 2) words.push(((key.charCodeAt(i) << 16) | (i + 1 < key.length ? key.charCodeAt(i + 1) : 0)) >>> 0);
  return sipHash(0x736f6d65, 0x646f7261, words);
}

export function caseId(type: CaseType, number: string): string {
  return `${CASE_ID_PREFIX[type]}:${number}`;
}

/** G-4: attachment metadata carried by a case; the bytes live in PostgreSQL. */
export const AttachmentRef = z.object({
  id: z.uuid(),
  filename: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
});
export type AttachmentRef = z.infer<typeof AttachmentRef>;

/** One entry of a case's activity log, visible to reseller and handler alike (G-3). */
export interface ActivityEntry {
  at: string;
  by: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  text?: string;
}

/** The read-model row a workflow publishes after every change (lists and search never scan Temporal). */
export interface CaseProjection {
  caseId: string;
  caseType: CaseType;
  number: string;
  companyId: string;
  status: string;
  title: string;
  /** Key references for search, e.g. `{ reference: 'ORD-000001', area: 'Delivery' }`. */
  refs: Record<string, string>;
  /** S-2-style uniqueness key while the case is open; null once it no longer blocks a duplicate. */
  openKey: string | null;
  queue: string | null;
  /** G-3: the comment, missing information, answer or reason that goes with the current status (e-mails quote it). */
  statusText?: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  detail: unknown;
}
