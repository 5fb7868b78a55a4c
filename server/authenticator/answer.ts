import type {OtpAnswer, OtpRequest} from '../exchange.js';
import type {HandlerContext} from '../handler-context.js';
import {problem} from '../problem.js';
import type {OtpRoute} from '../routes.js';
import {confirmEnrollment, startEnrollment} from './enroll.js';
import {removeAuthenticator, replaceRecoveryCodes} from './manage.js';
import {signIn} from './sign-in.js';
import type {AuthenticatorContext} from './stages.js';

/**
 * The authenticator's routes (routes.ts), on a handler given `authenticator`:
 * enrolment, sign-in, removal and new recovery codes. The core (otp-core.ts)
 * has checked the method and answers 404 for them on a handler without it.
 */
export async function answerAuthenticator(
  ctx: HandlerContext,
  request: OtpRequest,
  route: Exclude<OtpRoute, {requestId: string | undefined} | {name: 'issue'}>,
): Promise<OtpAnswer> {
  if (!ctx.authenticator) return problem(404, 'not-found', 'No such route.');
  const on = ctx as AuthenticatorContext;
  switch (route.name) {
    case 'authenticator_enroll':
      return startEnrollment(on, request);
    case 'authenticator_activate':
      return confirmEnrollment(on, request, route.enrollmentId);
    case 'authenticator_confirm':
      return signIn(on, request);
    case 'authenticator_remove':
      return removeAuthenticator(on, request);
    case 'authenticator_recovery_codes':
      return replaceRecoveryCodes(on, request);
  }
}
