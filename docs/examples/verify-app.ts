/**
 * The app's server, put together: the routes of verify-server.ts under /2fa,
 * and the route that finishes the sign-in once the page posts the proof.
 * Sessions come from the app (express-session here); so do users' numbers.
 */
import express, {type Request} from 'express';
import {createVerify, verifyRoutes} from './verify-server.js';

/** The session of express-session, with what the password step put in it. */
type WithSession = Request & {
  session?: {firstFactorUser?: string; signedInUser?: string};
};

const phones = new Map([['maria.silva', '+15017122661']]);

const options = {
  apiKey: process.env.TWILIO_API_KEY!,
  apiSecret: process.env.TWILIO_API_SECRET!,
  serviceSid: process.env.TWILIO_VERIFY_SERVICE_SID!,
  secret: process.env.OTP_PROOF_SECRET!,
  // Only someone who passed the first factor may have a code sent, and only to their own number.
  userOf: (request: Request) => (request as WithSession).session?.firstFactorUser,
  phoneOf: async (user: string) => phones.get(user),
};
const verify = createVerify(options);

const app = express();
// The app's session (app.use(session({...}))) and CSRF check go here, before
// the routes that rely on them.
app.use('/2fa', verifyRoutes(verify, options));

app.post(
  '/sign-in/second-factor',
  express.urlencoded({extended: false, limit: '2kb'}),
  (request: WithSession, response) => {
    const user = request.session?.firstFactorUser;
    const proof: unknown = request.body?.proof;
    // The page's word is not enough: any script there can fire otp-confirmed.
    if (!user || typeof proof !== 'string' || !verify.verifyProof(proof, user)) {
      response.status(403).send('The code was not confirmed.');
      return;
    }
    request.session!.signedInUser = user;
    response.redirect(303, '/');
  },
);

app.listen(3000);
