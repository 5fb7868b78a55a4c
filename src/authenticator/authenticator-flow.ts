/**
 * The step's flow with an authenticator app (`method="authenticator"`), no DOM:
 * signing in with the app's code or a recovery code, and, with `enroll`,
 * setting an app up (the QR code, its first code, the recovery codes). Each is
 * a function of a run (flow/run.ts), as the sent code's flow is; what fails is
 * thrown, and the step's controller reports it. Loaded the first time such a
 * step starts.
 */
import type {ConfirmOutcome} from '../challenge/challenge.js';
import {cleanCode, isWellFormedCode} from '../code/clean-code.js';
import {OtpStepError} from '../errors.js';
import {checked, FRESH, identityOf, misconfigured} from '../flow/flow-rules.js';
import type {Run} from '../flow/run.js';
import {sameStep} from '../flow/step-state.js';
import {httpSender} from '../sources/http-source.js';
import type {StepOptions} from '../step/step-config.js';
import {
  confirmEnrollment,
  confirmSignIn,
  startEnrollment,
  type Refused,
} from './authenticator-client.js';
import type {DialogAction} from '../dialog/dialog-events.js';
import {
  entryShape,
  recoveryCodeText,
  takesRecoveryCode,
  type AuthenticatorState,
} from './authenticator-state.js';

/** The run's requests, with the element's endpoint, headers, credentials and timeout as they are now. */
const sender = (run: Run) => httpSender(() => run.settings, run.now);

/**
 * Opens the dialog: the app's code to sign in, or (with `enroll`) a new
 * enrolment's QR code. A dialog closed midway for the same step is shown again
 * as it was, while its enrolment lasts.
 */
export async function start(run: Run, options: StepOptions): Promise<boolean> {
  const config = checked(options);
  // The app's codes are checked against a secret only the server holds.
  if (!run.settings.endpoint) throw misconfigured('endpoint-required');
  const {authenticator: was} = run.state;
  const enroll = !!options.enroll;
  if (
    was &&
    sameStep(run.state.config, config) &&
    (was.stage === 'sign-in'
      ? !enroll
      : was.stage === 'current'
        ? enroll
        : enroll &&
          was.stage !== 'recovery-codes' &&
          was.enrollment!.expiresAt > run.now())
  ) {
    run.set({open: true});
    await run.drawn();
    return true;
  }
  let authenticator: AuthenticatorState = {stage: 'sign-in', recovery: false};
  if (enroll) {
    run.begin();
    const started = await startEnrollment(sender(run), run.now(), run.signal);
    // Never refused without a proof sent: a verdict of it is the server's error.
    if (started.status === 'rejected') throw new OtpStepError('bad-response');
    // A user who has an app proves it first (NIST SP 800-63B-4 §4.1.2.1).
    authenticator =
      started.status === 'started'
        ? {stage: 'scan', recovery: false, enrollment: started.enrollment}
        : {stage: 'current', recovery: false};
  }
  run.set({
    ...FRESH,
    busy: false,
    config,
    challenge: undefined,
    forTestCode: '',
    authenticator,
    open: true,
  });
  await run.drawn();
  return true;
}

/**
 * Confirms what was typed: the enrolment's first code, or a sign-in's code or
 * recovery code, or the proof of the current app before an enrolment. Resolves
 * to the outcome, or undefined while another is being judged, or for an
 * enrolment (its outcome is the recovery codes shown).
 */
export async function confirm(
  run: Run,
  typed: string,
): Promise<ConfirmOutcome | undefined> {
  const {config, authenticator: was, busy} = run.state;
  if (!config || !was || was.stage === 'recovery-codes')
    throw new OtpStepError('no-pending-code');
  if (busy) return undefined;
  const {length, alphabet} = entryShape(was);
  const code = cleanCode(typed, alphabet);
  if (!isWellFormedCode(code, length, alphabet)) throw new OtpStepError('malformed-code');
  run.begin();
  const send = sender(run);
  const {enrollment} = was;
  if (was.stage === 'current') {
    // The proof of the current app starts the enrolment again, with it.
    const started = await startEnrollment(
      send,
      run.now(),
      run.signal,
      was.recovery ? {recoveryCode: recoveryCodeText(code)} : {code},
    );
    if (started.status === 'rejected') return rejected(run, started);
    if (started.status !== 'started') throw new OtpStepError('bad-response');
    run.set({
      busy: false,
      entry: '',
      invalid: false,
      notice: undefined,
      authenticator: {stage: 'scan', recovery: false, enrollment: started.enrollment},
    });
    await run.drawn();
    return undefined;
  }
  if (enrollment) {
    const verdict = await confirmEnrollment(send, enrollment.id, code, run.signal);
    if (verdict.status === 'rejected') return rejected(run, verdict);
    // The secret is of no more use here; the codes stay until the person is done.
    run.set({
      busy: false,
      entry: '',
      invalid: false,
      notice: undefined,
      authenticator: {
        stage: 'recovery-codes',
        recovery: false,
        recoveryCodes: verdict.recoveryCodes,
      },
    });
    await run.drawn();
    run.emit('otp-enrolled', {user: config.user});
    return undefined;
  }
  const recovery = was.recovery;
  const verdict = await confirmSignIn(
    send,
    {
      user: config.user,
      client: config.client,
      stepName: config.stepName,
      ...(recovery ? {recoveryCode: recoveryCodeText(code)} : {code}),
    },
    run.signal,
  );
  if (verdict.status === 'rejected') return rejected(run, verdict);
  const {requestId, confirmation, method} = verdict;
  const done = {...identityOf(config), requestId, confirmation};
  const at = run.now();
  run.set({
    // What the trigger and the element's :state(confirmed) read.
    challenge: {
      requestId,
      issuedAt: at,
      expiresAt: at,
      resendAt: at,
      attemptsLeft: 0,
      resendsLeft: 0,
      status: 'confirmed',
    },
    busy: false,
    value: confirmation,
    notice: {key: 'confirmed'},
    invalid: false,
  });
  run.emit('otp-confirmed', {...done, method});
  run.set({open: false});
  run.emit('step-complete', done);
  return {status: 'confirmed', confirmation};
}

/** A code the server did not take: said, the entry cleared for the next, and `otp-rejected`. */
function rejected(run: Run, {reason, attemptsLeft}: Refused): ConfirmOutcome {
  const {config, authenticator} = run.state;
  const left = attemptsLeft ?? 0;
  run.set({
    busy: false,
    entry: '',
    invalid: true,
    notice:
      reason === 'invalid'
        ? {key: 'invalid', attemptsLeft: left}
        : {key: authenticator?.recovery ? 'recoveryCodeUsed' : 'appCodeUsed'},
  });
  // No challenge of its own: the app's codes have no request id until one is confirmed.
  run.emit('otp-rejected', {
    ...identityOf(config!),
    requestId: '',
    reason,
    attemptsLeft: left,
  });
  return {status: 'rejected', reason, attemptsLeft: left};
}

/** The dialog's own moves: on to the first code and back, the recovery code's entry, Done, a copy. */
export async function act(run: Run, action: DialogAction): Promise<void> {
  const {authenticator: was} = run.state;
  if (!was) return;
  const to = (patch: Partial<AuthenticatorState>) =>
    run.set({
      authenticator: {...was, ...patch},
      entry: '',
      invalid: false,
      notice: undefined,
    });
  switch (action) {
    case 'next':
      if (was.stage === 'scan') to({stage: 'first-code'});
      return;
    case 'back':
      if (was.stage === 'first-code') to({stage: 'scan'});
      return;
    case 'recovery':
    case 'app':
      if (takesRecoveryCode(was.stage)) to({recovery: action === 'recovery'});
      return;
    case 'done':
      run.set({open: false});
      await run.drawn();
      // Shown once: the codes leave the page's memory with the dialog.
      run.set({authenticator: undefined}, false);
      return;
    case 'secret-copied':
    case 'codes-copied':
      run.set({
        notice: {key: action === 'secret-copied' ? 'secretCopied' : 'codesCopied'},
      });
  }
}
