// (In test/, not beside the mock: it writes the document's own header text, "Bearer <JWT>", rather than reading the
// spec.)
// The official Kling API authenticates with a JWT minted from an access key and a secret key (HS256,
// {iss, exp, nbf}); each documented failure has its own code. Tokens here are signed with jose directly, not
// with the harness's own client, so the mock is checked against the document rather than against ourselves.
import { SignJWT } from 'jose';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpecById } from '../src/spec/load-spec.ts';
import type { ProviderSpec } from '../src/spec/model.ts';
import { startMocks, stopMocks, type RunningMock } from '../src/mock/start-mocks.ts';

const AK = 'kc-test-access-key';
const SK = 'kc-test-secret-key';
let spec: ProviderSpec;
let mock: RunningMock;
beforeAll(async () => {
  spec = await loadSpecById('kling-official-v3');
  [mock] = (await startMocks([spec], { credentials: [{ accessKey: AK, secretKey: SK }] })) as [RunningMock];
});
afterAll(() => stopMocks([mock]));

const now = () => Math.floor(Date.now() / 1000);
const token = (claims: { iss?: string; exp: number; nbf: number }, secret = SK) =>
  new SignJWT(claims.iss === undefined ? {} : { iss: claims.iss })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setExpirationTime(claims.exp)
    .setNotBefore(claims.nbf)
    .sign(new TextEncoder().encode(secret));
async function create(authorization?: string) {
  const res = await request(`${mock.url}/v1/videos/text2video`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
    body: JSON.stringify({ model_name: 'kling-v3', prompt: 'a cat' }),
  });
  return { status: res.statusCode, body: (await res.body.json()) as { code: number; data?: { task_id: string } } };
}

describe('the official API: JWT auth, each documented failure with its own code', () => {
  it(
    'accepts a token minted as documented: iss = access key, exp = now + 1800, nbf ' +
      '= now - 5, HS256 with the secret key',
    async () => {
      const r = await create(`Bearer ${await token({ iss: AK, exp: now() + 1800, nbf: now() - 5 })}`);
      expect(r.status).toBe(200);
      expect(r.body.code).toBe(0);
      expect(r.body.data?.task_id).toBeTruthy();
    },
  );

  it(
    'refuses the raw access key sent as the bearer token with 1002 (invalid), and ' + 'an expired token with 1004',
    async () => {
      expect(await create(`Bearer ${AK}`)).toMatchObject({ status: 401, body: { code: 1002 } });
      expect(await create(`Bearer ${await token({ iss: AK, exp: now() - 60, nbf: now() - 1900 })}`)).toMatchObject({
        status: 401,
        body: { code: 1004 },
      });
    },
  );

  it(
    'answers no header with 1001, a token not yet valid with 1003, and a wrong ' +
      'secret or unknown access key with 1000',
    async () => {
      expect(await create()).toMatchObject({ status: 401, body: { code: 1001 } });
      expect(await create(`Bearer ${await token({ iss: AK, exp: now() + 2400, nbf: now() + 600 })}`)).toMatchObject({
        status: 401,
        body: { code: 1003 },
      });
      expect(
        await create(`Bearer ${await token({ iss: AK, exp: now() + 1800, nbf: now() - 5 }, 'not-the-secret')}`),
      ).toMatchObject({ status: 401, body: { code: 1000 } });
      expect(
        await create(`Bearer ${await token({ iss: 'someone-else', exp: now() + 1800, nbf: now() - 5 })}`),
      ).toMatchObject({ status: 401, body: { code: 1000 } });
      expect(await create(`Key ${await token({ iss: AK, exp: now() + 1800, nbf: now() - 5 })}`)).toMatchObject({
        status: 401,
        body: { code: 1002 },
      });
    },
  );
});
