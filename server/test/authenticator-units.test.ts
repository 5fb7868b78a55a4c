/**
 * The authenticator's pure parts, each on its own: the store changes
 * (records.ts), recovery codes (recovery-codes.ts), the otpauth URI and its
 * QR code read back as a phone's camera would (enrollment-uri.ts, with jsqr),
 * the bodies (bodies.ts) and the routes (routes.ts).
 */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {createRequire} from 'node:module';
import {
  checkedCodeBody,
  checkedEnrollBody,
  checkedSignInBody,
} from '../authenticator/bodies.js';
import {otpauthUri, qrSvg} from '../authenticator/enrollment-uri.js';
import {
  spendCode,
  spendRecoveryCode,
  takeEnrollment,
  type AuthenticatorRecord,
} from '../authenticator/records.js';
import {
  cleanRecoveryCode,
  indexOfDigest,
  newRecoveryCodes,
  recoveryDigest,
} from '../authenticator/recovery-codes.js';
import {routeOf} from '../routes.js';

// jsqr is CommonJS; require() gives its function without default-export guesswork.
const jsQR = createRequire(import.meta.url)('jsqr') as typeof import('jsqr').default;

const record = (extra: Partial<AuthenticatorRecord> = {}): AuthenticatorRecord => ({
  id: 'e1',
  sealed: 'sealed',
  lastStep: 10,
  recoveryCodes: ['a', 'b', 'c'],
  usedRecoveryCodes: [],
  enrolledAt: 0,
  ...extra,
});

describe('records.ts: the store changes', () => {
  it('accepts a step later than the last, writing it in the same change', () => {
    const [value, judged] = spendCode(record(), () => 11);
    assert.deepEqual(judged, {outcome: 'accepted', value: undefined});
    assert.equal((value as AuthenticatorRecord).lastStep, 11);
  });

  it('refuses a step not later than the last as used, writing nothing', () => {
    for (const step of [10, 9, -1]) {
      const stored = record();
      const [value, judged] = spendCode(stored, () => step);
      assert.equal(judged.outcome, 'used');
      assert.equal(value, stored);
    }
  });

  it('tells a wrong code, a secret that does not open and no record apart', () => {
    assert.equal(spendCode(record(), () => undefined)[1].outcome, 'invalid');
    assert.equal(spendCode(record(), () => null)[1].outcome, 'unopened');
    for (const value of [undefined, null, 'x', {id: 'e1'}])
      assert.equal(spendCode(value, () => 11)[1].outcome, 'gone');
  });

  it('removes the record when the accepted change says so', () => {
    const [value, judged] = spendCode(
      record(),
      () => 11,
      () => undefined,
    );
    assert.equal(judged.outcome, 'accepted');
    assert.equal(value, undefined);
  });

  it('spends a recovery code once: removed from the set, kept as used', () => {
    const opens = () => true;
    const [value, judged] = spendRecoveryCode(record(), 'b', indexOfDigest, opens);
    assert.deepEqual(judged, {outcome: 'accepted', value: 2});
    assert.deepEqual((value as AuthenticatorRecord).recoveryCodes, ['a', 'c']);
    assert.equal(spendRecoveryCode(value, 'b', indexOfDigest, opens)[1].outcome, 'used');
    assert.equal(
      spendRecoveryCode(value, 'z', indexOfDigest, opens)[1].outcome,
      'invalid',
    );
    assert.equal(
      spendRecoveryCode(value, 'a', indexOfDigest, () => false)[1].outcome,
      'unopened',
    );
  });

  it('takes a pending enrolment once, by its id only', () => {
    const pending = {enrollmentId: 'e1', user: 'alice', sealed: 's', expiresAt: 1};
    assert.equal(takeEnrollment(pending, 'e2')[1], undefined);
    const [left, taken] = takeEnrollment(pending, 'e1');
    assert.equal(taken, pending);
    assert.equal(left, undefined);
    assert.equal(takeEnrollment(left, 'e1')[1], undefined);
  });
});

describe('recovery-codes.ts', () => {
  it('draws ten codes of Crockford Base32, XXXXX-XXXXX, spread over the alphabet', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 400; i++)
      for (const code of newRecoveryCodes()) {
        assert.match(code, /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
        for (const c of code.replace('-', '')) counts.set(c, (counts.get(c) ?? 0) + 1);
      }
    // 40,000 characters over 32: 1,250 each expected; a biased draw would skew some by far more.
    assert.equal(counts.size, 32);
    for (const [c, n] of counts) assert.ok(n > 1050 && n < 1450, `${c}: ${n}`);
  });

  it('reads what a person types as the code meant', () => {
    assert.equal(cleanRecoveryCode('abcde-fghjk'), 'ABCDEFGHJK');
    assert.equal(cleanRecoveryCode('ABCDE FGHJK'), 'ABCDEFGHJK');
    assert.equal(cleanRecoveryCode('IlO0a-bcdef'), '1100ABCDEF');
    for (const typed of ['', 'ABCDE-FGHJ', 'ABCDE-FGHJKM', 'ABCDE-FGH*K'])
      assert.equal(cleanRecoveryCode(typed), undefined, typed);
  });

  it('keeps codes as HMACs bound to the user and the key', () => {
    const key = new Uint8Array(32).fill(7);
    const digest = recoveryDigest(key, 'alice', 'ABCDE-FGHJK');
    assert.equal(digest, recoveryDigest(key, 'alice', 'abcdefghjk'));
    assert.notEqual(digest, recoveryDigest(key, 'bob', 'ABCDE-FGHJK'));
    assert.notEqual(
      digest,
      recoveryDigest(new Uint8Array(32).fill(8), 'alice', 'ABCDE-FGHJK'),
    );
    assert.ok(!digest.includes('ABCDE'));
  });
});

/** The SVG's modules drawn into RGBA pixels, for jsqr: what a phone's camera sees. */
function rasterize(svg: string): {data: Uint8ClampedArray; size: number} {
  const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)![1]);
  const data = new Uint8ClampedArray(size * size * 4).fill(255);
  for (const [, x, y, w, h] of svg.matchAll(/M(\d+),(\d+)h(\d+)v(\d+)h-\d+z/g))
    for (let dy = 0; dy < Number(h); dy++)
      for (let dx = 0; dx < Number(w); dx++) {
        const at = ((Number(y) + dy) * size + Number(x) + dx) * 4;
        data[at] = data[at + 1] = data[at + 2] = 0;
      }
  return {data, size};
}

describe('enrollment-uri.ts', () => {
  it('puts issuer and user in the label, percent-encoded, and the issuer as a parameter', () => {
    const uri = otpauthUri('Acme & Co', 'maria@example.org', 'JBSWY3DPEHPK3PXP');
    assert.equal(
      uri,
      'otpauth://totp/Acme%20%26%20Co:maria%40example.org?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20%26%20Co&algorithm=SHA1&digits=6&period=30',
    );
    const odd = otpauthUri('Acme', 'a/b?c#d:e', 'X');
    assert.equal(new URL(odd).pathname, '/Acme:a%2Fb%3Fc%23d%3Ae');
  });

  it('draws a QR code a camera reads back as the URI', () => {
    const uri = otpauthUri('Acme', 'Ünïcödé user', 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    const {data, size} = rasterize(qrSvg(uri));
    const read = jsQR(data, size, size);
    assert.equal(read?.data, uri);
  });
});

describe('bodies.ts', () => {
  it('takes {} to enrol, or one proof of the current app, and refuses the rest', () => {
    assert.deepEqual(checkedEnrollBody({}), {});
    assert.deepEqual(checkedEnrollBody({code: '123456'}), {proof: {code: '123456'}});
    assert.deepEqual(checkedEnrollBody({recoveryCode: 'AAAAA-AAAAA'}), {
      proof: {recoveryCode: 'AAAAA-AAAAA'},
    });
    for (const body of [
      null,
      [],
      'x',
      1,
      {code: '1', recoveryCode: '2'},
      {code: 1},
      {recoveryCode: null},
      {code: '1'.repeat(65)},
    ])
      assert.equal(typeof checkedEnrollBody(body), 'string', JSON.stringify(body));
  });

  it('takes one code of at most 64 characters', () => {
    assert.deepEqual(checkedCodeBody({code: '123 456'}), {code: '123 456'});
    for (const body of [{}, {code: 1}, {code: '1'.repeat(65)}, null])
      assert.equal(typeof checkedCodeBody(body), 'string');
  });

  it('takes the user with code or recoveryCode, never both or neither', () => {
    assert.deepEqual(checkedSignInBody({user: 'a', code: '1'}), {
      user: 'a',
      client: '',
      stepName: '',
      code: '1',
    });
    assert.deepEqual(checkedSignInBody({user: 'a', recoveryCode: 'x', client: 'web'}), {
      user: 'a',
      client: 'web',
      stepName: '',
      recoveryCode: 'x',
    });
    for (const body of [
      {user: 'a'},
      {user: 'a', code: '1', recoveryCode: 'x'},
      {user: 'a', code: null},
      {code: '1'},
      {user: 'a', stepName: 'x'.repeat(257), code: '1'},
    ])
      assert.equal(typeof checkedSignInBody(body), 'string', JSON.stringify(body));
  });
});

describe('routes.ts: the authenticator routes', () => {
  it('names each route wherever the handler is mounted', () => {
    for (const base of ['', '/otp', '/api/v1/otp'])
      assert.deepEqual(
        [
          routeOf(`${base}/authenticator/enrollments`),
          routeOf(`${base}/authenticator/enrollments/e%201/confirm`),
          routeOf(`${base}/authenticator/confirm/`),
          routeOf(`${base}/authenticator`),
          routeOf(`${base}/authenticator/recovery-codes`),
        ],
        [
          {name: 'authenticator_enroll'},
          {name: 'authenticator_activate', enrollmentId: 'e 1'},
          {name: 'authenticator_confirm'},
          {name: 'authenticator_remove'},
          {name: 'authenticator_recovery_codes'},
        ],
      );
  });

  it('keeps the code routes as they were, and names nothing else', () => {
    assert.deepEqual(routeOf('/otp/codes/authenticator'), {
      name: 'status',
      requestId: 'authenticator',
    });
    assert.deepEqual(routeOf('/otp/codes/authenticator/confirm'), {
      name: 'confirm',
      requestId: 'authenticator',
    });
    for (const path of [
      '/otp/authenticators',
      '/otp/authenticator/enrollments/x',
      '/otp/authenticator/other',
      '/otp/my-authenticator',
    ])
      assert.equal(routeOf(path), undefined, path);
    assert.deepEqual(routeOf('/otp/authenticator/enrollments/%E0%A4%A/confirm'), {
      name: 'authenticator_activate',
      enrollmentId: undefined,
    });
  });
});
