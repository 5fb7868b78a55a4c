// `npm run manifest:check` (run by .ci/run, after `npm run build`): fails when any
// of the generated files (custom-elements.json, vscode.html-custom-data.json,
// web-types.json, src/frameworks/element-names.ts, docs/api.md) is not what
// `npm run manifest` makes of src/ today,
// and when custom-elements.json breaks a promise the package makes about it:
// - it is valid against the schema it names;
// - its modules are the ones a page can import (package.json "exports"), at paths
//   that exist once built, each with its .d.ts, and every reference points at one
//   of them, at a dependency of the package or at a global;
// - it lists no private, protected, `#` or `@internal` member;
// - every event has a type, with its detail where it is a CustomEvent; an
//   element's own event map (`OtpStepEventMap`, src/events.ts) is listed whole,
//   each event typed as the map types it;
// - every attribute whose property takes a union of literals lists those values
//   (`alphabet`: each name of ALPHABETS).
// Every problem found is reported, then the exit code is 1.
import {existsSync, readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import Ajv from 'ajv';
import {generate} from './manifest.mjs';
import {enumValues} from './manifest-elements.mjs';
import {isPublicMember} from './manifest-public-api.mjs';
import {
  aliasMembers,
  eventMapNames,
  eventType,
  memberDeclaration,
  propertyUnion,
  sourcePath,
} from './manifest-program.mjs';

// The manifest to hold to the promises; another file may be named to try the check.
const manifestPath = process.argv[2] ?? 'custom-elements.json';
const problems = [];
const problem = (text) => problems.push(text);

const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

// Fresh: what the generator writes now, byte for byte.
const generated = await generate();
if (manifestPath === 'custom-elements.json') {
  for (const [path, text] of Object.entries(generated)) {
    const committed = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (committed !== text)
      problem(`${path} is stale: run \`npm run manifest\` and commit the result.`);
  }
}

// Valid against the schema of the version it names.
const require = createRequire(import.meta.url);
const schemaPackage = require('custom-elements-manifest/package.json');
if (manifest.schemaVersion !== schemaPackage.version)
  problem(
    `schemaVersion is ${manifest.schemaVersion}; the schema installed is ${schemaPackage.version}`,
  );
const validate = new Ajv({allErrors: true, strict: false}).compile(
  require('custom-elements-manifest/schema.json'),
);
if (!validate(manifest))
  for (const error of validate.errors)
    problem(`not valid against the schema: ${error.instancePath} ${error.message}`);

// Modules: what "exports" ships, built, with types.
const exported = new Set(
  Object.values(pkg.exports ?? {})
    .map((target) => (typeof target === 'string' ? target : target?.default))
    .filter(Boolean)
    .map((target) => target.replace(/^\.\//, '')),
);
const paths = new Set(manifest.modules.map((module) => module.path));
for (const path of paths) {
  if (!exported.has(path))
    problem(`${path} is not a module package.json "exports" ships`);
  if (!path.endsWith('.js')) problem(`${path} is not a JavaScript module`);
  if (!existsSync(path)) problem(`${path} does not exist (run \`npm run build\` first)`);
  const types = path.replace(/\.js$/, '.d.ts');
  if (!existsSync(types)) problem(`${types}, the types of ${path}, does not exist`);
}

// References: to a module listed here, a dependency, or a global.
const dependencies = new Set(Object.keys(pkg.dependencies ?? {}));
(function references(value, where) {
  if (Array.isArray(value))
    return value.forEach((item, i) => references(item, `${where}[${i}]`));
  if (!value || typeof value !== 'object') return;
  if (typeof value.module === 'string' && !paths.has(value.module))
    problem(`${where}: module ${value.module} is not one of the manifest's modules`);
  if (
    typeof value.package === 'string' &&
    value.package !== 'global:' &&
    !dependencies.has(value.package)
  )
    problem(`${where}: package ${value.package} is not a dependency of the package`);
  for (const [key, item] of Object.entries(value)) references(item, `${where}.${key}`);
})(manifest.modules, 'modules');

// The classes, checked against their source.
const alphabets = aliasMembers('src/code/alphabets.ts', 'AlphabetName');
for (const module of manifest.modules)
  for (const declaration of module.declarations ?? []) {
    if (declaration.kind !== 'class') continue;
    const source = sourcePath(module.path);
    const name = `${declaration.name} (${module.path})`;

    for (const member of declaration.members ?? []) {
      const declared = memberDeclaration(source, declaration.name, member.name);
      if (!isPublicMember(member) || declared?.private)
        problem(`${name}: ${member.name} is not public API`);
      if (declared?.internal) problem(`${name}: ${member.name} is @internal`);
    }

    if (!declaration.customElement) continue;
    const events = declaration.events ?? [];
    const own = eventMapNames(source, `${declaration.name}EventMap`) ?? [];
    for (const event of events) {
      const text = event.type?.text;
      if (!text || /^CustomEvent(<(never|any|unknown)>)?$/.test(text))
        problem(`${name}: event ${event.name} has no type with its detail (${text})`);
      // The element's own events are typed as its event map types them; the DOM's
      // (`input`, `change`) as the element fires them, which can be plainer than
      // the DOM's map says (it types every `input` as an InputEvent).
      else if (own.includes(event.name) && text !== eventType(event.name))
        problem(
          `${name}: event ${event.name} is typed ${text}; ${declaration.name}EventMap says ${eventType(event.name)}`,
        );
    }
    for (const event of own)
      if (!events.some((listed) => listed.name === event))
        problem(
          `${name}: ${event} of ${declaration.name}EventMap is not among its events`,
        );

    for (const attribute of declaration.attributes ?? []) {
      const union = attribute.fieldName
        ? propertyUnion(source, declaration.name, attribute.fieldName)
        : undefined;
      const listed = enumValues(attribute.type);
      const wanted = union && enumValues({text: union});
      if (wanted && String(listed?.toSorted()) !== String(wanted.toSorted()))
        problem(
          `${name}: attribute ${attribute.name} takes ${union}, but is typed ${attribute.type?.text}`,
        );
      if (attribute.name === 'alphabet' && String(listed) !== String(alphabets))
        problem(
          `${name}: attribute alphabet is typed ${attribute.type?.text}, not the names of ALPHABETS (${alphabets.join(', ')})`,
        );
    }
  }

if (problems.length) {
  for (const text of problems) console.error(text);
  process.exitCode = 1;
} else {
  console.log(
    `${Object.keys(generated).join(', ')} are up to date, and the manifest keeps its promises.`,
  );
}
