/**
 * The step's flow, with no DOM: issuing and resending a code, confirming what
 * was typed, expiry, Retry, picking a challenge up after a reload, and which
 * event each of those fires. `<otp-step>` drives it (checked parameters in) and
 * renders its state; its tests drive it in Node with the local generator and a
 * hand-moved clock.
 */
import type {ConfirmOutcome} from '../challenge/challenge.js';
import {cleanCode, isWellFormedCode} from '../code/clean-code.js';
import {isOtpStepError, OtpStepError, RETRYABLE, type OtpErrorCode} from '../errors.js';
import type {StepIdentity} from '../events.js';
import {developerMessages, warnings} from '../messages/developer.js';
import type {ConfigResult, StepConfig} from '../step/step-config.js';
import type {Notice, StepFlowHost, StepState} from './step-state.js';

export type {Notice, StepFlowHost, StepState} from './step-state.js';

/** How long a request from the trigger runs before the trigger shows it busy. */
const BUSY_SHOWN_AFTER_MS = 100;

/** Seconds left at which the countdown is spoken; never every second. */
const MILESTONES = [60, 30, 10];

const identityOf = ({stepName, user, client}: StepConfig): StepIdentity => ({
  stepName,
  user,
  client,
});

/** Whether two sets of parameters name the same challenge (step, user, client). */
const sameStep = (a: StepConfig | undefined, b: StepConfig): boolean =>
  !!a && a.stepName === b.stepName && a.user === b.user && a.client === b.client;

/** What a newly shown challenge starts from: nothing typed, said or confirmed yet. */
const FRESH = {
  value: '',
  entry: '',
  invalid: false,
  notice: undefined,
  problem: undefined,
  announcement: undefined,
  busy: false,
} satisfies Partial<StepState>;

const codeOf = (error: unknown): OtpErrorCode =>
  isOtpStepError(error) ? error.code : 'source-failed';

export class StepFlow {
  state: StepState;
  /** The request running, aborted when a newer one replaces it or the element leaves. */
  private controller?: AbortController;
  /** A code on its way: a second ask gets the same answer, not a second code. */
  private issuing?: Promise<boolean>;
  /** What Retry does again. */
  private again?: () => unknown;
  /**
   * The parameters last looked up with nothing pending for them (after a
   * reload, say): a first code for them needs no second look.
   */
  private foundNothing?: StepConfig;

  constructor(private readonly host: StepFlowHost) {
    this.state = {
      open: false,
      busy: false,
      now: host.now(),
      forTestCode: '',
      value: '',
      entry: '',
      invalid: false,
    };
  }

  private set(patch: Partial<StepState>): void {
    this.state = {...this.state, ...patch, now: this.host.now()};
    this.host.changed();
  }

  /** Whether a countdown is running: a pending code, or a Retry that must wait. */
  get ticking(): boolean {
    const {challenge, retry} = this.state;
    // A locked challenge is counted down too: its note beside the trigger goes when it ends.
    return (
      challenge?.status === 'pending' ||
      challenge?.status === 'locked' ||
      (!!retry && retry.at > this.host.now())
    );
  }

  /**
   * Obtains a new code (or one in place of the pending code) and opens the
   * dialog on it. Resolves to false when no code was issued; the reason went
   * out as an event.
   */
  issue(checked: ConfigResult): Promise<boolean> {
    this.issuing ??= this.issueOnce(checked)
      .catch((error: unknown) => (this.report(error), false))
      .finally(() => (this.issuing = undefined));
    return this.issuing;
  }

  private async issueOnce(checked: ConfigResult): Promise<boolean> {
    if (!checked.ok || !this.host.hasSource()) {
      const mistake = checked.ok ? 'no-source' : checked.error;
      this.report(new OtpStepError(mistake, developerMessages[mistake]));
      return false;
    }
    const {config} = checked;
    for (const warning of checked.warnings) console.warn(warnings[warning]);
    const same = sameStep(this.state.config, config);
    // A code still pending for these parameters that this flow does not know of
    // (issued before a reload, or in another tab) is shown, not replaced: its
    // cooldown would refuse a new one anyway.
    if ((!same || !this.state.challenge) && !sameStep(this.foundNothing, config)) {
      const pending = await (await this.host.source()).pending(config);
      this.foundNothing = config;
      if (pending) {
        this.set({...FRESH, config, challenge: pending, open: true});
        await this.host.rendered();
        return true;
      }
    }
    const resend = same && this.state.challenge?.status === 'pending';
    const identity = identityOf(config);
    if (!this.host.emit('otp-request', {...identity, resend}, true)) return false;

    const signal = this.start();
    try {
      const {challenge, code} = await (await this.host.source()).issue(config, signal);
      this.set({
        ...FRESH,
        config,
        challenge,
        forTestCode: code ?? '',
        notice: resend ? {key: 'issued'} : undefined,
        open: true,
      });
      // Drawn first, so that a page handling otp-issued finds the code on screen.
      await this.host.rendered();
      this.host.emit('otp-issued', {
        ...identity,
        requestId: challenge.requestId,
        expiresAt: challenge.expiresAt,
        resendAt: challenge.resendAt,
        attemptsLeft: challenge.attemptsLeft,
      });
      return true;
    } catch (error) {
      this.settle(signal, error, () => this.issue(checked));
      return false;
    }
  }

  /**
   * Confirms what the user typed, once cleaned of spaces, dashes and other
   * separators. Resolves to the outcome, or undefined when the code was not
   * checked (malformed, nothing pending, busy, or a failure reported as `otp-error`).
   */
  async confirm(typed: string): Promise<ConfirmOutcome | undefined> {
    const {config, challenge, busy} = this.state;
    if (!config || !challenge) {
      this.report(new OtpStepError('no-pending-code'));
      return undefined;
    }
    if (busy) return undefined;
    const code = cleanCode(typed, config.alphabet);
    if (!isWellFormedCode(code, config.length, config.alphabet)) {
      this.report(new OtpStepError('malformed-code'));
      return undefined;
    }
    const signal = this.start();
    try {
      const {outcome, challenge: after} = await (
        await this.host.source()
      ).confirm(config, code, signal);
      const identity = {...identityOf(config), requestId: after.requestId};
      if (outcome.status === 'confirmed') {
        const {confirmation} = outcome;
        const done = confirmation === undefined ? identity : {...identity, confirmation};
        // A backend's token is what the app's server can check; the spent code proves nothing.
        this.set({
          challenge: after,
          busy: false,
          value: confirmation ?? code,
          notice: {key: 'confirmed'},
          invalid: false,
        });
        this.host.emit('otp-confirmed', done);
        this.close();
        this.host.emit('step-complete', done);
      } else {
        const {reason, attemptsLeft} = outcome;
        const wasPending = this.state.challenge?.status === 'pending';
        this.set({
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
        this.host.emit('otp-rejected', {...identity, reason, attemptsLeft});
        if (reason === 'expired' && wasPending) this.host.emit('otp-expired', identity);
      }
      return outcome;
    } catch (error) {
      // The challenge and the typed code stay as they were, for Retry.
      this.settle(signal, error, () => this.confirm(code));
      return undefined;
    }
  }

  /**
   * After a reload, picks up the challenge left open for these parameters and
   * shows it. Resolves to whether there was one.
   */
  async restore(config: StepConfig): Promise<boolean> {
    try {
      const challenge = await (await this.host.source()).pending(config);
      if (!challenge) this.foundNothing = config;
      if (!challenge || this.state.challenge) return false;
      this.set({config, challenge, open: true});
      return true;
    } catch (error) {
      this.report(error);
      return false;
    }
  }

  /** One second of a countdown: expiry of the pending code, and the milestones spoken. */
  tick(): void {
    const before = this.state.now;
    const now = this.host.now();
    const {challenge} = this.state;
    // A lock ends when the locked code would have expired: a new code may be asked for.
    if (challenge?.status === 'locked' && now >= challenge.expiresAt)
      return this.set({challenge: {...challenge, status: 'expired'}});
    if (challenge?.status !== 'pending') return this.set({});
    if (now >= challenge.expiresAt) {
      this.set({
        challenge: {...challenge, status: 'expired'},
        notice: {key: 'expired'},
        invalid: true,
        // The expired code is of no use: the test code shown for it goes too.
        forTestCode: '',
      });
      const identity = {
        ...identityOf(this.state.config!),
        requestId: challenge.requestId,
      };
      this.host.emit('otp-expired', identity);
      return;
    }
    const leftBefore = (challenge.expiresAt - before) / 1000;
    const left = (challenge.expiresAt - now) / 1000;
    const milestone = MILESTONES.find((m) => leftBefore > m && left <= m);
    this.set(milestone ? {announcement: milestone} : {});
  }

  /** The code as typed so far; typing again takes the error look off. */
  type(entry: string): void {
    const clears = !!entry && this.state.invalid;
    this.state = {...this.state, entry, invalid: clears ? false : this.state.invalid};
    // Every keystroke lands here: the input draws itself, so redraw only for the look.
    if (clears) this.host.changed();
  }

  /** Shows the dialog on what there is (the pending code, after it was closed). */
  open(): void {
    this.set({open: true});
  }

  /** Hides the dialog; the challenge stays, and `open()` shows it again. */
  close(): void {
    if (this.state.open) this.set({open: false});
  }

  /** Says what just happened in the dialog's message line. */
  notify(notice: Notice): void {
    this.set({notice, invalid: notice.key === 'error'});
  }

  /** Runs again what failed, as the Retry button does; resolves when it is done. */
  async retry(): Promise<void> {
    const again = this.again;
    this.again = undefined;
    this.set({retry: undefined});
    await again?.();
  }

  /** The owning form was reset: no value, nothing said, the dialog closed. */
  reset(): void {
    this.set({
      open: false,
      value: '',
      entry: '',
      invalid: false,
      notice: undefined,
      problem: undefined,
    });
  }

  /** The browser gave back the form value it had kept (history, session restore). */
  restoreValue(value: string): void {
    this.set({value});
  }

  /** Gets the code source ready ahead of a click, quietly: issuing reports any failure. */
  warmUp(): void {
    this.host.source().catch(() => undefined);
  }

  /** Stops the running request, as when the element leaves the page. */
  abort(): void {
    this.controller?.abort();
  }

  /**
   * Tells the page what went wrong (`otp-error`, with a stable code) and shows
   * it where the person is looking: in the dialog, else beside the trigger.
   */
  report(error: unknown): void {
    const known = isOtpStepError(error);
    if (!known) console.error(error);
    const code = codeOf(error);
    // The messages have no line for the page's own mistakes (a bad attribute, no
    // source), which the person cannot mend: the element shows a generic line, and
    // the developer gets the detail, in the console and in the event.
    const text = (this.host.messages().errors as Partial<Record<OtpErrorCode, string>>)[
      code
    ];
    const message = text ?? (error as Error).message;
    if (text === undefined) console.error(message);
    this.set(
      this.state.open ? {notice: {key: 'error', code}, invalid: true} : {problem: code},
    );
    this.host.emit('otp-error', {
      code,
      message,
      ...(known && error.retryAfterSeconds !== undefined
        ? {retryAfterSeconds: error.retryAfterSeconds}
        : {}),
    });
  }

  /** Starts a request to the source, replacing any still running. */
  private start(): AbortSignal {
    this.controller?.abort();
    this.controller = new AbortController();
    const {open, retry} = this.state;
    this.state = {...this.state, busy: true, retry: undefined};
    // In the open dialog, busy shows at once (Confirm and Resend disabled). A
    // first code, from the trigger, is drawn busy only if it takes long enough
    // to be seen (a backend), so a quick one opens with no redraw before it.
    if (open || retry) this.host.changed();
    else
      setTimeout(() => {
        if (this.state.busy && !this.state.open) this.host.changed();
      }, BUSY_SHOWN_AFTER_MS);
    return this.controller.signal;
  }

  /** Ends a failed request: reported, and where trying again can mend it, a Retry offered. */
  private settle(signal: AbortSignal, error: unknown, again: () => unknown): void {
    this.set({busy: false});
    // Aborted by a newer request or by the element leaving: nothing to say.
    if (signal.aborted) return;
    this.report(error);
    if (!RETRYABLE.has(codeOf(error))) return;
    const wait = isOtpStepError(error) ? (error.retryAfterSeconds ?? 0) : 0;
    this.again = again;
    this.set({retry: {at: this.host.now() + wait * 1000, inDialog: this.state.open}});
  }
}
