import {
  judgeAttempt,
  newRecord,
  planIssue,
  viewOf,
  type ChallengeRecord,
  type IssuePlan,
} from '../challenge/challenge.js';
import {
  challengeKey,
  pendingChallenge,
  type ChallengeStore,
} from '../challenge/challenge-store.js';
import {digestCode, equalBytes, randomSalt} from '../challenge/digest.js';
import {ALPHABETS} from '../code/alphabets.js';
import {generateCode} from '../code/generate-code.js';
import {OtpStepError} from '../errors.js';
import type {CodeSource} from './code-source.js';

/** What issuing under the store's lock comes to: a new record, or the plan that refused it. */
type Issued = {ok: true; record: ChallengeRecord} | Extract<IssuePlan, {ok: false}>;

/**
 * The local demo generator: codes made and checked in the browser, for demos and
 * tests. It keeps a salted digest of the code, never the code; but whoever runs
 * script on the page can read the code as it is issued, so production codes come
 * from a server.
 */
export function localCodeSource(
  store: ChallengeStore,
  now: () => number = () => Date.now(),
): CodeSource {
  return {
    async issue(config, signal) {
      if (!globalThis.crypto?.subtle) {
        throw new OtpStepError('crypto-unavailable');
      }
      const code = generateCode(config.length, ALPHABETS[config.alphabet]);
      const salt = randomSalt();
      const digest = await digestCode(code, salt);
      signal?.throwIfAborted();
      const at = now();
      const issued = await store.update<Issued>(challengeKey(config), (previous) => {
        const plan = planIssue(previous, at);
        if (!plan.ok) return [previous, plan];
        const identity = {
          requestId: crypto.randomUUID(),
          stepName: config.stepName,
          user: config.user,
          client: config.client,
        };
        const record = {...newRecord(identity, config, plan, at), salt, digest};
        return [record, {ok: true, record}];
      });
      if (!issued.ok)
        throw new OtpStepError(issued.code, undefined, issued.retryAfterSeconds);
      const {record} = issued;
      return {challenge: viewOf(record, at), code};
    },

    async confirm(config, code, signal) {
      const key = challengeKey(config);
      // The digest needs the record's salt, and Web Crypto cannot run inside an
      // IndexedDB transaction (it would commit while we wait), so digest first and
      // judge inside the transaction; if the code was replaced meanwhile, go again.
      for (let tries = 0; tries < 3; tries++) {
        const seen = await store.get(key);
        if (!seen) throw new OtpStepError('no-pending-code');
        const typed = seen.salt ? await digestCode(code, seen.salt) : undefined;
        signal?.throwIfAborted();
        const at = now();
        const judged = await store.update(key, (record) => {
          if (!record) return [record, undefined];
          if (record.requestId !== seen.requestId) return [record, null];
          const matches = !!(typed && record.digest && equalBytes(typed, record.digest));
          const result = judgeAttempt(record, matches, at);
          return [
            result.record,
            {outcome: result.outcome, challenge: viewOf(result.record, at)},
          ];
        });
        if (judged === undefined) throw new OtpStepError('no-pending-code');
        if (judged) return judged;
      }
      throw new OtpStepError('source-failed');
    },

    pending: (config) => pendingChallenge(store, challengeKey(config), now()),

    // Nothing left on record, nothing to confirm: the demo cancels by forgetting.
    cancel: (config) => store.update(challengeKey(config), () => [undefined, undefined]),
  };
}
