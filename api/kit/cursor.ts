// Opaque feed cursors. The event feed's position comes from one sequence shared by every company, so
// a plain position would show a reseller how many events the others caused between two of its own
// (the gaps). The cursor is the position sealed with the server's key, bound to the company: a client
// can keep and send it back, but not read, forge or use another company's.
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';

const ALGORITHM = 'aes-256-ecb'; // one block, deterministic: the same position always gives the same cursor

function keyOf(secret: string): Buffer {
  return createHash('sha256').update(`samband-cursor|${secret}`).digest();
}

function tagOf(companyId: string): Buffer {
  return createHash('sha256').update(`company|${companyId}`).digest().subarray(0, 8);
}

export function sealCursor(position: bigint, companyId: string, secret: string): string {
  const block = Buffer.alloc(16);
  block.writeBigUInt64BE(position, 0);
  tagOf(companyId).copy(block, 8);
  const cipher = createCipheriv(ALGORITHM, keyOf(secret), null).setAutoPadding(false);
  return Buffer.concat([cipher.update(block), cipher.final()]).toString('base64url');
}

/** The position a cursor holds, or undefined when it is not one this server gave this company. */
export function openCursor(cursor: string, companyId: string, secret: string): bigint | undefined {
  const sealed = Buffer.from(cursor, 'base64url');
  if (sealed.length !== 16 || sealed.toString('base64url') !== cursor) return undefined;
  const decipher = createDecipheriv(ALGORITHM, keyOf(secret), null).setAutoPadding(false);
  const block = Buffer.concat([decipher.update(sealed), decipher.final()]);
  if (!block.subarray(8).equals(tagOf(companyId))) return undefined;
  return block.readBigUInt64BE(0);
}
