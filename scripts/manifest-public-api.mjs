// An analyzer plugin that turns the analyzer's picture of src/ into the package's
// public API: the modules a page can import (package.json "exports"), at the paths
// they ship at, with what they export at run time, and the elements' public members
// only. The analyzer lists every module of src/ by its .ts path, internal ones too,
// so tools would offer `import … from 'src/flow/step-flow.ts'`.
import {createRequire} from 'node:module';
import {readFileSync} from 'node:fs';
import {
  parameterProperties,
  propertyUnion,
  publicSuperclass,
  shippedPath,
  valueExports,
} from './manifest-program.mjs';

/**
 * Public members a page never calls: callbacks the browser or Lit calls, and the
 * static plumbing Lit and form association read. TypeScript needs them public; a
 * list of an element's API is clearer without them.
 */
const PROTOCOL = new Set([
  'styles',
  'shadowRootOptions',
  'formAssociated',
  'render',
  'connectedCallback',
  'disconnectedCallback',
  'attributeChangedCallback',
  'adoptedCallback',
  'formAssociatedCallback',
  'formResetCallback',
  'formDisabledCallback',
  'formStateRestoreCallback',
]);

/** A type the source already spells as a union of literals keeps its own order. */
const LITERAL_UNION =
  /^\s*('[^']*'|"[^"]*"|-?\d+(\.\d+)?)(\s*\|\s*('[^']*'|"[^"]*"|-?\d+(\.\d+)?))+\s*$/;

export const isPublicMember = (member) =>
  (member.privacy ?? 'public') === 'public' &&
  !member.name.startsWith('#') &&
  !PROTOCOL.has(member.name);

/**
 * @param {{entries: string[]}} options the public subpaths of package.json "exports"
 *   whose modules the manifest describes. A declaration exported by several of them
 *   is described once, in the first that exports it (the class entries come first).
 */
export function publicApiPlugin({entries}) {
  return {
    name: 'otp-step:public-api',
    packageLinkPhase({customElementsManifest: manifest}) {
      const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
      const analyzed = new Map(manifest.modules.map((module) => [module.path, module]));
      const modules = entries.map((subpath) => {
        const target = pkg.exports?.[subpath];
        const shipped = (typeof target === 'string' ? target : target?.default)?.replace(
          /^\.\//,
          '',
        );
        const source = [...analyzed.keys()].find((path) => shippedPath(path) === shipped);
        if (!source)
          throw new Error(
            `exports["${subpath}"] (${shipped}) is built from no file of src/`,
          );
        return {subpath, source, shipped, exports: valueExports(source)};
      });
      const publicFiles = modules.map((module) => module.source);
      const sideEffects = (pkg.sideEffects ?? []).map((path) =>
        path.replace(/^\.\//, ''),
      );

      const homes = new Map();
      const keyOf = (entry) => `${entry.file}#${entry.declaration}`;
      for (const module of modules)
        for (const entry of module.exports) {
          const own = modules.find((other) => other.source === entry.file);
          if (!homes.has(keyOf(entry))) homes.set(keyOf(entry), own ?? module);
        }
      const homeOf = (entry) => homes.get(keyOf(entry));
      const analyzedDeclaration = (entry) => {
        const found = analyzed
          .get(entry.file)
          ?.declarations?.find((declaration) => declaration.name === entry.declaration);
        if (!found)
          throw new Error(
            `the analyzer did not describe ${entry.declaration} (${entry.file})`,
          );
        return structuredClone(found);
      };

      manifest.modules = modules.map((module) => {
        const declarations = module.exports
          .filter((entry) => homeOf(entry) === module)
          .map((entry) =>
            publicDeclaration(analyzedDeclaration(entry), entry.file, publicFiles),
          );
        const exports = module.exports.map((entry) => ({
          kind: 'js',
          name: entry.name,
          declaration: {name: entry.declaration, module: homeOf(entry).shipped},
        }));
        // Importing a module the package marks as having side effects defines the
        // elements it exports (src/otp-step.ts calls define()).
        if (sideEffects.includes(module.shipped))
          for (const entry of module.exports) {
            const {tagName, customElement} = analyzedDeclaration(entry);
            if (customElement && tagName)
              exports.push({
                kind: 'custom-element-definition',
                name: tagName,
                declaration: {name: entry.declaration, module: homeOf(entry).shipped},
              });
          }
        return {
          kind: 'javascript-module',
          path: module.shipped,
          ...(declarations.length && {declarations}),
          exports,
        };
      });
      // The analyzer writes 1.0.0, but describes custom states (cssStates), which
      // came with the schema this package installs.
      manifest.schemaVersion = createRequire(import.meta.url)(
        'custom-elements-manifest/package.json',
      ).version;
    },
  };
}

/** A member without `inheritedFrom`, which names an internal class (StepAttributes, FormAssociatedElement). */
function ownMember(member) {
  const own = {...member};
  delete own.inheritedFrom;
  return own;
}

/** A declaration with its public members only, its types as a page may set them, and references to shipped modules only. */
function publicDeclaration(declaration, file, publicFiles) {
  if (declaration.kind === 'class' || declaration.kind === 'mixin') {
    const union = (name, type) => {
      if (!name || LITERAL_UNION.test(type?.text ?? '')) return type;
      const spelled = propertyUnion(file, declaration.name, name);
      return spelled ? {text: spelled} : type;
    };
    declaration.members = [
      ...(declaration.members ?? []),
      ...parameterProperties(file, declaration.name).filter(
        (field) => !declaration.members?.some((member) => member.name === field.name),
      ),
    ]
      .filter(isPublicMember)
      .map(ownMember)
      .map((member) =>
        member.kind === 'field'
          ? {...member, type: union(member.name, member.type)}
          : member,
      );
    // Inherited attributes stay, as the element's own: where they come from is internal.
    declaration.attributes = declaration.attributes?.map(ownMember).map((attribute) => ({
      ...attribute,
      type: union(attribute.fieldName, attribute.type),
    }));
    declaration.events = declaration.events?.map(ownMember);
    const superclass = publicSuperclass(file, declaration.name, publicFiles);
    if (superclass?.module) superclass.module = shippedPath(superclass.module);
    if (superclass) declaration.superclass = superclass;
    else delete declaration.superclass;
    for (const key of ['members', 'attributes', 'events'])
      if (!declaration[key]?.length) delete declaration[key];
  }
  return dropInternalReferences(declaration, publicFiles.map(shippedPath));
}

/** Type references (`type.references`) to modules that are not public are dropped. */
function dropInternalReferences(value, shipped) {
  if (Array.isArray(value))
    return value.map((item) => dropInternalReferences(item, shipped));
  if (!value || typeof value !== 'object') return value;
  const out = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] =
      key === 'references' && Array.isArray(item)
        ? item.filter(
            (reference) => !reference.module || shipped.includes(reference.module),
          )
        : dropInternalReferences(item, shipped);
    if (key === 'references' && !out[key].length) delete out[key];
  }
  return out;
}
