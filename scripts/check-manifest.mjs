// Fails when custom-elements.json is not what the analyzer makes of src/ today:
// the manifest is generated, never edited, and must be committed fresh.
import {execFileSync} from 'node:child_process';
import {readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

// The analyzer takes --outdir relative to the working directory, even when absolute.
const outdir = join('node_modules', '.cache', 'otp-step-manifest');
// The analyzer points package.json's `customElements` at wherever it wrote: put it back after.
const packageJson = readFileSync('package.json', 'utf8');
try {
  execFileSync(
    'node_modules/.bin/cem',
    ['analyze', '--litelement', '--globs', 'src/**/*.ts', '--outdir', outdir],
    {stdio: ['ignore', 'ignore', 'inherit']},
  );
  const fresh = readFileSync(join(outdir, 'custom-elements.json'), 'utf8');
  const committed = readFileSync('custom-elements.json', 'utf8');
  if (fresh !== committed) {
    console.error(
      'custom-elements.json is stale: run `npm run manifest` and commit the result.',
    );
    // Not process.exit(): the finally below must put package.json back first.
    process.exitCode = 1;
  } else {
    console.log('custom-elements.json is up to date.');
  }
} finally {
  writeFileSync('package.json', packageJson);
  rmSync(outdir, {recursive: true, force: true});
}
