// NEWCOMER #13: a key's fingerprint (`key-<12 hex>` in every recorded entry's _kc.key / _kc.client, and in reports) is
// an HMAC under a secret salt, not sha256(key): a published HAR confirms no guessed key. Under one salt the same key
// is one client, and a JWT is fingerprinted by its issuer (a client minting fresh tokens stays one client).
import { createHash, createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clientOf, FINGERPRINT_SALT_ENV, fingerprintSaltId, keyFingerprint } from './client-id.ts';

const KEY = 'sk-guessable-0123456789abcdef';
const unsalted = (identity: string) => `key-${createHash('sha256').update(identity).digest('hex').slice(0, 12)}`;
const jwt = (payload: object) =>
  `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2lnbmF0dXJl`;

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('key fingerprints', () => {
  it('cannot be checked against a guessed key: not sha256(key), nor sha256 of a JWT issuer', () => {
    expect(clientOf(undefined, KEY)).toMatch(/^key-[0-9a-f]{12}$/);
    expect(clientOf(undefined, KEY)).not.toBe(unsalted(KEY));
    const token = jwt({ iss: 'ak-guessable', exp: 1 });
    expect(clientOf(undefined, token)).not.toBe(unsalted('jwt:ak-guessable'));
    expect(keyFingerprint(KEY, 'salt-a')).toBe(
      `key-${createHmac('sha256', 'salt-a').update(KEY).digest('hex').slice(0, 12)}`,
    );
  });

  it('the same key is the same client under one salt, another under another salt', () => {
    expect(clientOf(undefined, KEY)).toBe(clientOf(undefined, KEY));
    expect(clientOf(undefined, KEY)).not.toBe(clientOf(undefined, `${KEY}x`));
    expect(keyFingerprint(KEY, 'salt-a')).toBe(keyFingerprint(KEY, 'salt-a'));
    expect(keyFingerprint(KEY, 'salt-a')).not.toBe(keyFingerprint(KEY, 'salt-b'));
    expect(fingerprintSaltId('salt-a')).toBe(fingerprintSaltId('salt-a'));
    expect(fingerprintSaltId('salt-a')).not.toBe(fingerprintSaltId('salt-b'));
  });

  it('a JWT by its issuer: fresh tokens of one access key are one client, another issuer another', () => {
    const [a1, a2, b] = [jwt({ iss: 'ak-1', exp: 1 }), jwt({ iss: 'ak-1', exp: 2 }), jwt({ iss: 'ak-2', exp: 1 })];
    expect(clientOf(undefined, a1)).toBe(clientOf(undefined, a2));
    expect(clientOf(undefined, a1)).not.toBe(clientOf(undefined, b));
    expect(clientOf('worker-1', a1)).toBe('worker-1');
    expect(clientOf(undefined, undefined)).toBe('anonymous');
  });

  it(`each process draws its own salt unless ${FINGERPRINT_SALT_ENV} gives one (one session)`, async () => {
    // a fresh copy of the module after vi.resetModules: a new process's salt
    const path: string = './client-id.ts?fresh';
    const fresh = async () => (await import(/* @vite-ignore */ path)) as typeof import('./client-id.ts');
    const drawn = [await fresh()];
    vi.resetModules();
    drawn.push(await fresh());
    expect(drawn[0]!.clientOf(undefined, KEY)).not.toBe(drawn[1]!.clientOf(undefined, KEY));
    expect(drawn[0]!.fingerprintSaltId()).not.toBe(drawn[1]!.fingerprintSaltId());
    vi.stubEnv(FINGERPRINT_SALT_ENV, 'one long random value shared by the session');
    const shared = [];
    for (let i = 0; i < 2; i++) {
      vi.resetModules();
      shared.push(await fresh());
    }
    expect(shared[0]!.clientOf(undefined, KEY)).toBe(shared[1]!.clientOf(undefined, KEY));
    expect(shared[0]!.clientOf(undefined, KEY)).toBe(
      keyFingerprint(KEY, 'one long random value shared by the session'),
    );
    expect(shared[0]!.fingerprintSaltId()).toBe(shared[1]!.fingerprintSaltId());
  });
});
