/**
 * The step's flow, with no DOM: asking for a code (or showing the one still
 * pending), confirming what was typed, picking a challenge up after a reload,
 * and the countdown, with the event each of those fires. Each is a function of
 * a run (run.ts) that `StepController` starts; what fails is thrown, and the
 * controller reports every failure the same way. Loaded when first needed.
 */
import type {ConfirmOutcome} from '../challenge/challenge.js';
import {cleanCode, isWellFormedCode} from '../code/clean-code.js';
import type {DialogAction} from '../dialog/dialog-events.js';
import {OtpStepError} from '../errors.js';
import type {StepIdentity} from '../events.js';
import {
  checkChannel,
  resolveStepConfig,
  type StepConfig,
  type StepOptions,
} from '../step/step-config.js';
import {
  checked,
  FRESH,
  identityOf,
  misconfigured,
  usesAuthenticator,
} from './flow-rules.js';
import type {Run} from './run.js';
import {sameStep, type StepState} from './step-state.js';

export {CodeSources} from '../sources/code-sources.js';
export {watchDelivery} from './delivery-poll.js';

/** Seconds left at which the countdown is spoken; never every second. */
const MILESTONES = [60, 30, 10];

/** The authenticator's flow, loaded the first time a step of `method="authenticator"` starts. */
const authenticator = () => import('../authenticator/authenticator-flow.js');

/**
 * Shows the code still pending for these parameters (the dialog was closed, or
 * the step before completed again), or asks for one. Resolves to false when no
 * code was issued.
 */
export async function request(run: Run, options: StepOptions): Promise<boolean> {
  if (usesAuthenticator(options)) return (await authenticator()).start(run, options);
  if (checkChannel(options.channel) === false) throw misconfigured('invalid-channel');
  const result = resolveStepConfig(options);
  const {config, challenge} = run.state;
  if (result.ok && challenge?.status === 'pending' && sameStep(config, result.config)) {
    run.set({open: true});
    await run.drawn();
    return true;
  }
  return issue(run, options);
}

/**
 * Obtains a new code (or one in place of the pending code) and opens the dialog
 * on it. A code still pending for these parameters that this page does not know
 * of (issued before a reload, or in another tab) is shown, not replaced: its
 * cooldown would refuse a new one anyway. Resolves to false when the page
 * cancelled `otp-request`.
 */
export async function issue(run: Run, options: StepOptions): Promise<boolean> {
  if (usesAuthenticator(options)) return (await authenticator()).start(run, options);
  const config = checked(options);
  const source = await run.source();
  const {state} = run;
  const same = sameStep(state.config, config);
  if ((!same || !state.challenge) && !sameStep(state.lookedUp, config)) {
    const pending = await source.pending(config);
    if (pending) {
      run.set({...FRESH, config, challenge: pending, open: true, lookedUp: config});
      await run.drawn();
      return true;
    }
    // Not drawn: nothing shows it.
    run.set({lookedUp: config}, false);
  }
  const resend = same && run.state.challenge?.status === 'pending';
  const identity = identityOf(config);
  if (!run.emit('otp-request', {...identity, resend}, true)) return false;
  run.begin();
  const {challenge, code} = await source.issue(config, run.signal);
  run.set({
    ...FRESH,
    busy: false,
    config,
    challenge,
    forTestCode: code ?? '',
    notice: resend ? {key: 'issued'} : undefined,
    open: true,
  });
  // Drawn first, so that a page handling otp-issued finds the code on screen.
  await run.drawn();
  run.emit('otp-issued', {
    ...identity,
    requestId: challenge.requestId,
    expiresAt: challenge.expiresAt,
    resendAt: challenge.resendAt,
    attemptsLeft: challenge.attemptsLeft,
  });
  return true;
}

/**
 * Confirms what the user typed, once cleaned of spaces, dashes and other
 * separators. Resolves to the outcome, or undefined while another confirmation
 * is being judged.
 */
export async function confirm(
  run: Run,
  typed: string,
): Promise<ConfirmOutcome | undefined> {
  if (run.state.authenticator) return (await authenticator()).confirm(run, typed);
  const {config, challenge, busy} = run.state;
  if (!config || !challenge) throw new OtpStepError('no-pending-code');
  if (busy) return undefined;
  const code = cleanCode(typed, config.alphabet);
  if (!isWellFormedCode(code, config.length, config.alphabet))
    throw new OtpStepError('malformed-code');
  run.begin();
  const source = await run.source();
  const {outcome, challenge: after} = await source.confirm(config, code, run.signal);
  const identity = {...identityOf(config), requestId: after.requestId};
  if (outcome.status === 'confirmed') {
    const {confirmation} = outcome;
    const done = confirmation === undefined ? identity : {...identity, confirmation};
    // A backend's token is what the app's server can check; the spent code proves nothing.
    run.set({
      challenge: after,
      busy: false,
      value: confirmation ?? code,
      notice: {key: 'confirmed'},
      invalid: false,
    });
    run.emit('otp-confirmed', {...done, method: 'code'});
    run.set({open: false});
    run.emit('step-complete', done);
    return outcome;
  }
  const {reason, attemptsLeft} = outcome;
  const wasPending = run.state.challenge?.status === 'pending';
  run.set({
    challenge: after,
    busy: false,
    notice:
      reason === 'invalid'
        ? {key: reason, attemptsLeft}
        : reason === 'locked'
          ? {key: reason, until: after.expiresAt}
          : {key: reason},
    invalid: true,
    // A wrong code is cleared for the next try; an expired or locked one stays in view.
    ...(reason === 'invalid' ? {entry: ''} : {}),
    // A code that expired or locked is of no use: the test code shown for it goes.
    ...(reason === 'expired' || reason === 'locked' ? {forTestCode: ''} : {}),
  });
  run.emit('otp-rejected', {...identity, reason, attemptsLeft});
  if (reason === 'expired' && wasPending) run.emit('otp-expired', identity);
  return outcome;
}

/**
 * Ends the pending code (on the server, for a backend) and closes the dialog;
 * `otp-canceled` says so. Resolves to false when nothing was pending: the
 * dialog closes all the same.
 */
export async function cancel(run: Run): Promise<boolean> {
  const {config, challenge} = run.state;
  if (!config || challenge?.status !== 'pending') {
    run.set({open: false});
    return false;
  }
  run.begin();
  await (await run.source()).cancel?.(config, run.signal);
  run.set({
    ...FRESH,
    busy: false,
    challenge: {...challenge, status: 'canceled'},
    forTestCode: '',
    open: false,
  });
  run.emit('otp-canceled', {...identityOf(config), requestId: challenge.requestId});
  return true;
}

/**
 * After a reload, picks up the challenge left open for these parameters and
 * shows it. Resolves to the parameters it was found under, or undefined when
 * there was none (or the parameters are not complete, so nothing can be).
 */
export async function restore(
  run: Run,
  options: StepOptions,
): Promise<StepConfig | undefined> {
  // An authenticator's step leaves nothing pending to pick up.
  if (usesAuthenticator(options)) return undefined;
  if (checkChannel(options.channel) === false) throw misconfigured('invalid-channel');
  const result = resolveStepConfig(options);
  if (!result.ok) return undefined;
  const {config} = result;
  const challenge = await (await run.source()).pending(config);
  if (!challenge) run.set({lookedUp: config}, false);
  if (!challenge || run.state.challenge) return undefined;
  run.set({config, challenge, open: true});
  return config;
}

/** What the person did in the dialog: a copy said, or a move of the authenticator's dialog. */
export async function act(run: Run, action: DialogAction): Promise<void> {
  if (action === 'copy-failed') throw new OtpStepError('copy-failed');
  if (action === 'copied') return run.set({notice: {key: 'copied'}, invalid: false});
  return (await authenticator()).act(run, action);
}

/** What one second of a countdown changes, and whether the pending code expired with it. */
export function tick(
  state: StepState,
  now: number,
): {patch: Partial<StepState>; expired?: StepIdentity & {requestId: string}} {
  const {challenge} = state;
  // A lock ends when the locked code would have expired: a new code may be asked for.
  if (challenge?.status === 'locked' && now >= challenge.expiresAt)
    return {patch: {challenge: {...challenge, status: 'expired'}}};
  if (challenge?.status !== 'pending') return {patch: {}};
  if (now >= challenge.expiresAt)
    return {
      patch: {
        challenge: {...challenge, status: 'expired'},
        notice: {key: 'expired'},
        invalid: true,
        // The expired code is of no use: the test code shown for it goes too.
        forTestCode: '',
      },
      expired: {...identityOf(state.config!), requestId: challenge.requestId},
    };
  const leftBefore = (challenge.expiresAt - state.now) / 1000;
  const left = (challenge.expiresAt - now) / 1000;
  const milestone = MILESTONES.find((m) => leftBefore > m && left <= m);
  return {patch: milestone ? {announcement: milestone} : {}};
}
