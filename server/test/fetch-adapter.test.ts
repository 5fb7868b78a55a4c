import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {OtpAnswer} from '../exchange.js';
import {fromFetchRequest, toFetchResponse} from '../fetch-adapter.js';

const limits = {maxBytes: 8, timeoutMs: 1000};
const request = (body: string | null, headers: Record<string, string> = {}) =>
  new Request('http://localhost/otp/codes?x=1', {
    method: 'POST',
    headers: {'content-type': 'application/json', ...headers},
    body,
  });

describe('fetch adapter', () => {
  it('describes a web Request to the core: method, path without the query, headers, no socket', () => {
    const described = fromFetchRequest(request('{}', {'X-Thing': 'a'}));
    assert.equal(described.method, 'POST');
    assert.equal(described.path, '/otp/codes');
    assert.equal(described.header('x-thing'), 'a');
    assert.equal(described.header('absent'), undefined);
    assert.equal(described.socketAddress, undefined);
  });

  it('reads the body within the limits', async () => {
    const small = await fromFetchRequest(request('{"a":1}')).body(limits);
    assert.deepEqual(small, {bytes: Buffer.from('{"a":1}')});
    const large = await fromFetchRequest(request('{"a":"0123456789"}')).body(limits);
    assert.deepEqual(large, {tooLarge: true});
    const none = await fromFetchRequest(request(null)).body(limits);
    assert.deepEqual(none, {bytes: new Uint8Array()});
  });

  it("hands the hooks the caller's own Request", () => {
    const original = request('{}');
    assert.equal(fromFetchRequest(original).web(), original);
  });

  it("turns the core's answer into a Response", async () => {
    const response = toFetchResponse(
      new OtpAnswer(201, {'content-type': 'application/json'}, '{"ok":true}'),
    );
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.deepEqual(await response.json(), {ok: true});
  });
});
