// `npm run typecheck`'s part for the framework typings (src/frameworks/): each
// framework's type test in its own program, with that framework's checker
// (tsc for React and Preact JSX, vue-tsc under strictTemplates, svelte-check),
// and a check that each typings module loads its own framework's types and no
// other's, so a React app without Vue installed compiles, and so on.
// A type test holds right uses, which must compile, and wrong ones marked
// @ts-expect-error / @vue-expect-error, which must each be an error.
import {spawn} from 'node:child_process';
import {dirname, relative, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const here = relative(root, dirname(fileURLToPath(import.meta.url)));
const bin = (name) => resolve(root, 'node_modules/.bin', name);

const checks = [
  ['React JSX', bin('tsc'), ['-p', `${here}/react/tsconfig.json`]],
  ['Preact JSX', bin('tsc'), ['-p', `${here}/preact/tsconfig.json`]],
  ['Vue templates', bin('vue-tsc'), ['-p', `${here}/vue/tsconfig.json`]],
  [
    'Svelte markup',
    bin('svelte-check'),
    [
      '--tsconfig',
      `${here}/svelte/tsconfig.json`,
      '--fail-on-warnings',
      '--output',
      'human',
    ],
  ],
];

function run([label, command, args]) {
  return new Promise((done) => {
    const child = spawn(command, args, {cwd: root});
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => done({label, ok: code === 0, output}));
  });
}

// The packages whose types each framework brings; each module may load its own only.
const FRAMEWORKS = {
  react: /node_modules\/(@types\/react|react)\//,
  preact: /node_modules\/preact\//,
  vue: /node_modules\/(vue|@vue)\//,
  svelte: /node_modules\/svelte\//,
};
const MODULES = {
  'jsx-react.ts': 'react',
  'react.ts': 'react',
  'jsx-preact.ts': 'preact',
  'vue.ts': 'vue',
  'svelte.ts': 'svelte',
  'element-types.ts': undefined,
  'element-names.ts': undefined,
};

function isolation() {
  const config = ts.getParsedCommandLineOfConfigFile(
    resolve(root, 'tsconfig.json'),
    {types: []},
    {...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {}},
  );
  const problems = [];
  for (const [file, own] of Object.entries(MODULES)) {
    const program = ts.createProgram(
      [resolve(root, 'src/frameworks', file)],
      config.options,
    );
    const loaded = program.getSourceFiles().map((source) => source.fileName);
    for (const [framework, pattern] of Object.entries(FRAMEWORKS)) {
      if (framework === own) continue;
      const stray = loaded.find((name) => pattern.test(name));
      if (stray)
        problems.push(`src/frameworks/${file} loads ${framework}'s types: ${stray}`);
    }
  }
  return {
    label: 'each module loads only its framework',
    ok: !problems.length,
    output: problems.join('\n'),
  };
}

const results = [...(await Promise.all(checks.map(run))), isolation()];
for (const {label, ok, output} of results) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}`);
  if (!ok) console.log(output.trim().replace(/^/gm, '     '));
}
if (results.some((result) => !result.ok)) process.exit(1);
