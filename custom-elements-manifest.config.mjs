// custom-elements.json: what `cem analyze` (or `npm run manifest`, which also writes
// the files generated from it) makes of src/. Never edit the output by hand.
import {publicApiPlugin} from './scripts/manifest-public-api.mjs';

export default {
  globs: ['src/**/*.ts'],
  litelement: true,
  // package.json's "customElements" is set already; the analyzer would rewrite the file.
  packagejson: false,
  plugins: [
    // The public entries of package.json "exports", class entries first: what they
    // re-export is described once, where the class is (OtpStepError with OtpStep).
    publicApiPlugin({entries: ['./class', './input/class', '.', './input']}),
    {
      // The analyzer lists modules in the order its file search happens to return
      // them, which varies with the machine's load: sort them, so the same source
      // always gives the same file.
      name: 'otp-step:sort-modules',
      packageLinkPhase({customElementsManifest}) {
        customElementsManifest.modules.sort((a, b) =>
          a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
        );
      },
    },
  ],
};
