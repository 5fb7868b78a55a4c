// `npm start`: serves the demo page, compiling the TypeScript sources on the fly.
import {esbuildPlugin} from '@web/dev-server-esbuild';
import {otpDevMiddleware} from './scripts/otp-dev-middleware.mjs';
import {otpMailMiddleware} from './scripts/otp-mail-middleware.mjs';

// The reference server shows codes (test mode) only in development and tests.
process.env.NODE_ENV ??= 'development';

const port = Number(process.env.PORT ?? 8000);

export default {
  port,
  hostname: process.env.HOST ?? 'localhost',
  nodeResolve: {exportConditions: ['development']},
  appIndex: 'demo/index.html',
  rootDir: '.',
  watch: !process.env.CI,
  middleware: [
    // The reference server in test mode at /api/otp.
    otpDevMiddleware(),
    // The reference server e-mailing codes to a loopback SMTP server, at
    // /api/mail/otp, the demo's backend; its inbox at /api/mail/inbox.
    await otpMailMiddleware(),
    // The demo lives in demo/; send the bare address there.
    (context, next) => {
      if (context.path === '/') return context.redirect('/demo/');
      return next();
    },
  ],
  plugins: [esbuildPlugin({ts: true, target: 'es2022', tsconfig: './tsconfig.json'})],
};
