// personal credentials, stored only as scrypt hashes `scrypt$N$r$p$salt$key`: the parameters travel
// with each hash, so old hashes keep verifying and are rehashed to the current parameters on login (issue 12 item 11).
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** OWASP password storage guidance: N=2^17, r=8, p=1 (128 MiB, ~0.1–0.5 s per hash). */
export const SCRYPT_PARAMS: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };

const KEY_LENGTH = 32;
/** A stored hash that would need more memory than this is refused rather than computed. */
const MAX_MEMORY = 512 * 1024 * 1024;

/** scrypt needs 128·N·r bytes (plus 128·r·p); Node's default limit of 32 MiB is too small for N=2^17. */
const memoryFor = ({ N, r, p }: ScryptParams) => 128 * N * r + 128 * r * p + 1024 * 1024;

function scrypt(password: string, salt: Buffer, keylen: number, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: memoryFor(params) };
  return new Promise((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** Production always uses SCRYPT_PARAMS; tests pass lower ones explicitly to stay fast. */
export async function hashPassword(password: string, params: ScryptParams = SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | undefined {
  const [scheme, n, r, p, salt, key, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || rest.length > 0 || !salt || !key || ![n, r, p].every((v) => v !== undefined && /^\d{1,8}$/.test(v))) return undefined;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const powerOfTwo = params.N > 1 && (params.N & (params.N - 1)) === 0;
  if (!powerOfTwo || params.r < 1 || params.p < 1 || params.p > 16 || memoryFor(params) > MAX_MEMORY) return undefined;
  return { params, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed || parsed.key.length < 16) return false;
  const key = await scrypt(password, parsed.salt, parsed.key.length, parsed.params);
  return timingSafeEqual(key, parsed.key);
}

/** Whether a (verified) hash was made with other parameters than the current ones: rehash it. */
export function needsRehash(stored: string, params: ScryptParams = SCRYPT_PARAMS): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.params.N !== params.N || parsed.params.r !== params.r || parsed.params.p !== params.p || parsed.key.length !== KEY_LENGTH;
}

/** A hash that never verifies, at the given parameters: unknown usernames cost as much time as known ones. */
export function dummyHash(params: ScryptParams = SCRYPT_PARAMS): string {
  return ['scrypt', params.N, params.r, params.p, Buffer.alloc(16).toString('base64'), Buffer.alloc(KEY_LENGTH).toString('base64')].join('$');
}

/** Password policy (issue 12 item 10): why `candidate` may not be the new password of `username`, or undefined. */
export function newPasswordProblem(candidate: string, username: string): string | undefined {
  if ([...candidate].length < 12) return 'must be at least 12 characters long';
  if (candidate.trim().toLowerCase() === username.toLowerCase()) return 'must not be the username';
  return undefined;
}
