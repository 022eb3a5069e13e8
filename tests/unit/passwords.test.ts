// Password hashes (issue 12 item 11): production parameters, parameters stored with each hash, rehash detection, policy.
import { describe, expect, it } from 'vitest';
import { dummyHash, hashPassword, needsRehash, newPasswordProblem, SCRYPT_PARAMS, verifyPassword } from '../../api/passwords';

const CHEAP = { N: 2 ** 10, r: 8, p: 1 };

describe('scrypt hashes', () => {
  it("production default is OWASP's N=2^17, r=8, p=1, and it runs (maxmem raised above Node's 32 MiB)", async () => {
    expect(SCRYPT_PARAMS).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(needsRehash(hash)).toBe(false);
  });

  it('an older hash verifies with its own parameters and asks to be rehashed', async () => {
    const old = await hashPassword('correct horse battery', { N: 2 ** 14, r: 8, p: 1 });
    expect(old.startsWith('scrypt$16384$8$1$')).toBe(true);
    expect(await verifyPassword('correct horse battery', old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(old, { N: 2 ** 14, r: 8, p: 1 })).toBe(false);
  });

  it('malformed or absurd stored hashes never verify (and are not computed)', async () => {
    const good = await hashPassword('pw', CHEAP);
    const [, , , , salt, key] = good.split('$');
    for (const bad of [
      '',
      'plain',
      `bcrypt$1024$8$1$${salt}$${key}`,
      `scrypt$1000$8$1$${salt}$${key}`,
      `scrypt$1024$8$1$${salt}`,
      `scrypt$1048576$64$1$${salt}$${key}`,
      `scrypt$1024$0$1$${salt}$${key}`,
      `scrypt$1024$8$1$${salt}$${key}$extra`,
      `scrypt$1024$8$1$${salt}$AAAA`,
    ]) {
      expect(await verifyPassword('pw', bad), bad).toBe(false);
    }
    expect(await verifyPassword('pw', good)).toBe(true);
  });

  it('the dummy hash for unknown users costs the same parameters and never verifies', async () => {
    expect(dummyHash(CHEAP).startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(dummyHash().startsWith('scrypt$131072$8$1$')).toBe(true);
    expect(await verifyPassword('', dummyHash(CHEAP))).toBe(false);
  });
});

describe('new password policy (issue 12 item 10)', () => {
  it('at least 12 characters, not the username', () => {
    expect(newPasswordProblem('eleven-char', 'ola.nordnett')).toMatch(/12 characters/);
    expect(newPasswordProblem('OLA.Nordnett', 'ola.nordnett')).toMatch(/username/);
    expect(newPasswordProblem('twelve-chars', 'ola.nordnett')).toBeUndefined();
    expect(newPasswordProblem('ææææææææææææ', 'ola.nordnett')).toBeUndefined();
  });
});
