// The analyzer lists modules in the order its file search happens to return them,
// which varies with the machine's load (right after a build, say): sort them, so
// `npm run manifest` writes the same file every time and `npm run manifest:check`
// never fails by chance.
export default {
  plugins: [
    {
      name: 'otp-step:sort-modules',
      packageLinkPhase({customElementsManifest}) {
        customElementsManifest.modules.sort((a, b) =>
          a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
        );
      },
    },
  ],
};
