// What the files generated from custom-elements.json share: the elements, with the
// entry a page imports each from, and the link to their part of docs/api.md.

/** The package's repository; package.json's `repository` where set (the project's assumed home otherwise). */
export function repositoryUrl(pkg) {
  const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  return (url ?? 'https://github.com/otp-step/otp-step')
    .replace(/^git\+/, '')
    .replace(/\.git$/, '');
}

/** Where docs/api.md describes the element with this tag, by absolute URL (the docs may not ship). */
export const docsUrl = (pkg, tagName) =>
  `${repositoryUrl(pkg)}/blob/main/docs/api.md#${tagName}`;

/** The import specifier of a shipped module (`dist/lib/otp-step-element.js` → `otp-step/class`). */
export function specifierOf(pkg, path) {
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    const file = typeof target === 'string' ? target : target?.default;
    if (file?.replace(/^\.\//, '') === path)
      return subpath === '.' ? pkg.name : `${pkg.name}/${subpath.replace(/^\.\//, '')}`;
  }
  return undefined;
}

/**
 * Every custom element of the manifest: its declaration, the module that declares
 * it (its class entry) and the module whose import defines it.
 */
export function elementsOf(manifest, pkg) {
  const elements = [];
  for (const module of manifest.modules)
    for (const declaration of module.declarations ?? [])
      if (declaration.customElement && declaration.tagName) {
        const defines = manifest.modules.find((other) =>
          other.exports?.some(
            (entry) =>
              entry.kind === 'custom-element-definition' &&
              entry.declaration.name === declaration.name &&
              entry.declaration.module === module.path,
          ),
        );
        elements.push({declaration, module, defines});
      }
  // In the order package.json "exports" lists their entries: the package's own element first.
  const subpaths = Object.keys(pkg.exports ?? {});
  const order = ({module}) =>
    subpaths.findIndex(
      (subpath) =>
        specifierOf(pkg, module.path) ===
        (subpath === '.' ? pkg.name : `${pkg.name}${subpath.slice(1)}`),
    );
  return elements.sort((a, b) => order(a) - order(b));
}

/** An attribute's values, where its type is a union of literals (`'small' | 'medium'` → small, medium). */
export function enumValues(type) {
  const members = (type?.text ?? '').split('|').map((member) => member.trim());
  const literal = /^('[^']*'|"[^"]*"|-?\d+(\.\d+)?)$/;
  if (members.length < 2 || !members.every((member) => literal.test(member)))
    return undefined;
  return members.map((member) => member.replace(/^['"]|['"]$/g, ''));
}

/** A default as a page would write it in the attribute (`'medium'` → medium; the empty string stays `''`). */
export const plainDefault = (value) => value?.replace(/^'(.+)'$/, '$1');

/** Public fields of an element (instance ones), as the manifest lists them. */
export const fieldsOf = (declaration) =>
  (declaration.members ?? []).filter(
    (member) => member.kind === 'field' && !member.static,
  );

export const methodsOf = (declaration) =>
  (declaration.members ?? []).filter(
    (member) => member.kind === 'method' && !member.static,
  );

/** `name(a: T, b?: U): R`, from a manifest function or method. */
export function signature(fn) {
  const parameters = (fn.parameters ?? [])
    .map(
      (parameter) =>
        `${parameter.rest ? '...' : ''}${parameter.name}${parameter.optional ? '?' : ''}${parameter.type ? `: ${parameter.type.text}` : ''}${parameter.default !== undefined ? ` = ${parameter.default}` : ''}`,
    )
    .join(', ');
  const returns = fn.return?.type?.text;
  return `${fn.name}(${parameters})${returns ? `: ${returns}` : ''}`;
}
