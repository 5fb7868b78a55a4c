// `npm run manifest`: custom-elements.json from src/ (the analyzer, configured by
// custom-elements-manifest.config.mjs), and from it the editor data
// (vscode.html-custom-data.json, web-types.json), the names the framework typings
// read (src/frameworks/element-names.ts) and docs/api.md. All five are generated:
// never edit them by hand.
import {readFileSync, writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {cli} from '@custom-elements-manifest/analyzer/cli.js';
import prettier from 'prettier';
import {apiReference} from './manifest-docs.mjs';
import {vscodeCustomData, webTypes} from './manifest-editors.mjs';
import {FRAMEWORK_NAMES, frameworkNames} from './manifest-frameworks.mjs';

/** As prettier formats the file in place, so `npm run lint` finds nothing to change. */
async function formatted(path, text) {
  const options = await prettier.resolveConfig(path);
  return prettier.format(text, {...options, filepath: path});
}

/** The generated files, by path, as they should be now. */
export async function generate() {
  const manifest = await cli({argv: ['analyze', '--quiet'], noWrite: true});
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  return {
    // Byte for byte what `cem analyze` writes.
    'custom-elements.json': `${JSON.stringify(manifest, null, 2)}\n`,
    'vscode.html-custom-data.json': await formatted(
      'vscode.html-custom-data.json',
      vscodeCustomData(manifest, pkg),
    ),
    'web-types.json': await formatted('web-types.json', webTypes(manifest, pkg)),
    [FRAMEWORK_NAMES]: await formatted(FRAMEWORK_NAMES, frameworkNames(manifest, pkg)),
    'docs/api.md': await formatted('docs/api.md', apiReference(manifest, pkg)),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [path, text] of Object.entries(await generate())) {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}
