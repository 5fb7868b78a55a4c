/**
 * The `authenticator` option at start-up (authenticator/options.ts): refused,
 * saying what to change, for an issuer an app cannot show and for a handler
 * without `authenticate`.
 */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {createOtpHandler} from '../index.js';
import {bySessionHeader} from './authenticator-helpers.js';
import {SECRET} from './helpers.js';

const start = (options: Record<string, unknown>) => () =>
  createOtpHandler({secret: SECRET, testMode: true, ...bySessionHeader, ...options});

describe('authenticator option at start-up', () => {
  it('starts with an issuer and authenticate', () => {
    assert.doesNotThrow(start({authenticator: {issuer: 'Acme'}}));
    assert.doesNotThrow(start({authenticator: {issuer: 'Ünïcödé Bank & Co.'}}));
    assert.doesNotThrow(start({authenticator: {issuer: 'x'.repeat(64)}}));
  });

  it('refuses an issuer apps cannot show, saying what to change', () => {
    for (const issuer of [
      '',
      '   ',
      'x'.repeat(65),
      'Acme:Corp',
      'Acme\n',
      7,
      null,
      undefined,
    ])
      assert.throws(
        start({authenticator: {issuer}}),
        /authenticator\.issuer must be the name apps show above the account, such as 'Acme': a non-empty string of at most 64 characters, without ':'/,
        String(issuer),
      );
  });

  it('refuses an authenticator option that is not an object', () => {
    for (const authenticator of ['Acme', true, null, ['Acme']])
      assert.throws(
        start({authenticator}),
        /authenticator must be an object such as \{issuer: 'Acme'\}/,
      );
  });

  it('refuses the authenticator without authenticate: anyone could enrol a phone for any account', () => {
    assert.throws(
      start({authenticator: {issuer: 'Acme'}, authenticate: undefined}),
      /authenticator needs authenticate\(request\).*anyone could enrol their own phone for any account/,
    );
  });
});

describe('authenticator.accountLabel at start-up', () => {
  it('refuses an accountLabel that is not a function', () => {
    assert.throws(
      start({authenticator: {issuer: 'Acme', accountLabel: 'email'}}),
      /authenticator\.accountLabel must be a function/,
    );
  });
});
