// What the manifest scripts ask TypeScript: the analyzer reads each file's syntax
// alone, so it cannot tell a type-only export from a value, see through a type alias
// (`alphabet: AlphabetName`) to the values an attribute takes, or read an event
// map. One program over src/, as tsconfig.build.json compiles it, answers those.
import {relative, resolve} from 'node:path';
import ts from 'typescript';

let loaded;

/** The program over src/, made once per process. */
export function program() {
  if (loaded) return loaded;
  const host = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic(diagnostic) {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  };
  const config = ts.getParsedCommandLineOfConfigFile('tsconfig.build.json', {}, host);
  const built = ts.createProgram(config.fileNames, config.options);
  loaded = {program: built, checker: built.getTypeChecker(), options: config.options};
  return loaded;
}

/** `src/x.ts` → `dist/lib/x.js`: where the build (tsconfig.build.json) writes a module. */
export function shippedPath(sourcePath) {
  const {options} = program();
  const from = relative(options.rootDir, resolve(sourcePath));
  return relative('.', resolve(options.outDir, from)).replace(/\.ts$/, '.js');
}

function sourceFile(path) {
  const file = program().program.getSourceFile(resolve(path));
  if (!file) throw new Error(`${path} is not in the program of tsconfig.build.json`);
  return file;
}

const repoPath = (fileName) => relative('.', fileName).split('\\').join('/');

/**
 * The values a module exports at run time, each with the name and file of what it
 * stands for, through re-exports. Type-only exports are left out, including what
 * `export type * from` brings, which TypeScript lists as the values they are.
 */
export function valueExports(path) {
  const {checker} = program();
  const file = sourceFile(path);
  const starred = new Set();
  for (const statement of file.statements)
    if (
      ts.isExportDeclaration(statement) &&
      !statement.exportClause &&
      !statement.isTypeOnly &&
      statement.moduleSpecifier
    ) {
      const target = checker.getSymbolAtLocation(statement.moduleSpecifier);
      const targetFile = target?.declarations?.[0]?.getSourceFile().fileName;
      if (targetFile)
        for (const entry of valueExports(targetFile)) starred.add(entry.name);
    }
  const exported = [];
  for (const symbol of checker.getExportsOfModule(checker.getSymbolAtLocation(file))) {
    let target = symbol;
    if (symbol.flags & ts.SymbolFlags.Alias) {
      const specifier = symbol.declarations?.[0];
      if (
        specifier &&
        ts.isExportSpecifier(specifier) &&
        (specifier.isTypeOnly || specifier.parent.parent.isTypeOnly)
      )
        continue;
      target = checker.getAliasedSymbol(symbol);
    }
    const declaration = target.declarations?.[0];
    if (!declaration || !(target.flags & ts.SymbolFlags.Value)) continue;
    const home = declaration.getSourceFile();
    // Declared elsewhere and not named in an export of this file: it came by a star.
    if (
      home !== file &&
      !(symbol.flags & ts.SymbolFlags.Alias) &&
      !starred.has(symbol.name)
    )
      continue;
    exported.push({
      name: symbol.name,
      declaration: target.name,
      file: repoPath(home.fileName),
    });
  }
  return exported;
}

function classSymbol(path, className) {
  const {checker} = program();
  const exported = checker.getSymbolAtLocation(sourceFile(path))?.exports?.get(className);
  if (!exported) throw new Error(`${path} exports no ${className}`);
  return exported.flags & ts.SymbolFlags.Alias
    ? checker.getAliasedSymbol(exported)
    : exported;
}

/**
 * How a class's member is declared in the source: its modifiers, and whether its
 * doc comment says `@internal`; undefined where the class has no such member.
 */
export function memberDeclaration(path, className, name) {
  const {checker} = program();
  const symbol = classSymbol(path, className);
  const member =
    symbol.members?.get(name) ??
    checker.getDeclaredTypeOfSymbol(symbol).getProperty(name) ??
    checker.getTypeOfSymbol(symbol).getProperty(name);
  const declaration = member?.declarations?.[0];
  if (!declaration) return undefined;
  const flags = ts.getCombinedModifierFlags(declaration);
  return {
    private:
      !!(flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) ||
      name.startsWith('#'),
    internal: ts
      .getJSDocTags(declaration)
      .some((tag) => ['internal', 'ignore'].includes(tag.tagName.text)),
  };
}

/** `dist/lib/x.js` → `src/x.ts`: the source a shipped module is built from. */
export function sourcePath(shipped) {
  const {options} = program();
  const from = relative(resolve(options.outDir), resolve(shipped));
  return relative('.', resolve(options.rootDir, from)).replace(/\.js$/, '.ts');
}

/** A union of string or number literals as the manifest writes one (`'a' | 'b'`); else undefined. */
export function literalUnion(type) {
  if (!type.isUnion()) return undefined;
  const members = type.types.filter(
    (member) => !(member.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)),
  );
  if (
    !members.length ||
    !members.every((m) => m.isStringLiteral() || m.isNumberLiteral())
  )
    return undefined;
  return members
    .map((m) => (m.isStringLiteral() ? `'${m.value}'` : String(m.value)))
    .join(' | ');
}

/** The literal union a public property of a class takes, through aliases and inheritance. */
export function propertyUnion(path, className, property) {
  const {checker} = program();
  const instance = checker.getDeclaredTypeOfSymbol(classSymbol(path, className));
  const symbol = instance.getProperty(property);
  return symbol && literalUnion(checker.getTypeOfSymbol(symbol));
}

/**
 * The nearest ancestor of a class that is not declared in src/ outside `publicFiles`:
 * a public class, a class imported from a package (`LitElement` from `lit`), or a
 * global (`Error`), as the schema's references name them.
 */
export function publicSuperclass(path, className, publicFiles) {
  const {checker} = program();
  let declaration = classSymbol(path, className).declarations[0];
  for (;;) {
    const heritage = declaration.heritageClauses?.find(
      (clause) => clause.token === ts.SyntaxKind.ExtendsKeyword,
    );
    const expression = heritage?.types[0]?.expression;
    if (!expression) return undefined;
    const symbol = checker.getSymbolAtLocation(expression);
    const imported = symbol?.declarations?.[0];
    if (imported && ts.isImportSpecifier(imported)) {
      const from = imported.parent.parent.parent.moduleSpecifier.text;
      if (!from.startsWith('.')) return {name: expression.getText(), package: from};
    }
    const target =
      symbol && symbol.flags & ts.SymbolFlags.Alias
        ? checker.getAliasedSymbol(symbol)
        : symbol;
    const next = target?.declarations?.find(ts.isClassDeclaration);
    const file = next && repoPath(next.getSourceFile().fileName);
    if (!next || program().program.isSourceFileDefaultLibrary(next.getSourceFile()))
      return {name: expression.getText(), package: 'global:'};
    if (publicFiles.includes(file)) return {name: target.name, module: file};
    if (!file.startsWith('src/')) return undefined;
    declaration = next;
  }
}

/**
 * Public fields a class declares as constructor parameters (`readonly code`), which
 * the analyzer does not list.
 */
export function parameterProperties(path, className) {
  const declaration = classSymbol(path, className).declarations[0];
  const constructor = declaration.members.find(ts.isConstructorDeclaration);
  return (constructor?.parameters ?? [])
    .filter((parameter) => {
      const modifiers = ts.getModifiers(parameter) ?? [];
      return (
        modifiers.some((m) =>
          [ts.SyntaxKind.PublicKeyword, ts.SyntaxKind.ReadonlyKeyword].includes(m.kind),
        ) &&
        !modifiers.some((m) =>
          [ts.SyntaxKind.PrivateKeyword, ts.SyntaxKind.ProtectedKeyword].includes(m.kind),
        )
      );
    })
    .map((parameter) => {
      const readonly = (ts.getModifiers(parameter) ?? []).some(
        (m) => m.kind === ts.SyntaxKind.ReadonlyKeyword,
      );
      // As written (`OtpErrorCode`, not the 27 codes it stands for), as the analyzer does.
      const type = parameter.type?.getText() ?? 'unknown';
      return {
        kind: 'field',
        name: parameter.name.getText(),
        type: {text: parameter.questionToken ? `${type} | undefined` : type},
        ...(readonly && {readonly: true}),
      };
    });
}

/** The DOM's own map of event names to event types, with what src/ adds to it. */
function globalEventMap() {
  const {program: built, checker} = program();
  for (const file of built.getSourceFiles()) {
    if (!built.isSourceFileDefaultLibrary(file)) continue;
    for (const statement of file.statements) {
      if (
        ts.isInterfaceDeclaration(statement) &&
        statement.name.text === 'GlobalEventHandlersEventMap'
      )
        return checker.getDeclaredTypeOfSymbol(
          checker.getSymbolAtLocation(statement.name),
        );
    }
  }
  throw new Error('GlobalEventHandlersEventMap not found in the DOM typings');
}

/** The type of an event by name, as `addEventListener` gives it to a listener (`CustomEvent<OtpConfirmedDetail>`, `Event`). */
export function eventType(name) {
  const {checker} = program();
  const symbol = globalEventMap().getProperty(name);
  return symbol && checker.typeToString(checker.getTypeOfSymbol(symbol));
}

/** The names of an element's own event map (`OtpStepEventMap`), in the order it lists them. */
export function eventMapNames(path, mapName) {
  const {checker} = program();
  for (const {name, file, declaration} of allExports(path)) {
    if (name !== mapName) continue;
    const symbol = checker
      .getSymbolAtLocation(sourceFile(file))
      ?.exports?.get(declaration);
    return checker
      .getDeclaredTypeOfSymbol(symbol)
      .getProperties()
      .map((property) => property.name);
  }
  return undefined;
}

function allExports(path) {
  const {checker} = program();
  return checker
    .getExportsOfModule(checker.getSymbolAtLocation(sourceFile(path)))
    .map((symbol) => {
      const target =
        symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return {
        name: symbol.name,
        declaration: target.name,
        file: repoPath(target.declarations[0].getSourceFile().fileName),
      };
    });
}

/**
 * The fields of an event's `detail`, for the API reference: name, type (literal
 * unions spelled out when short), whether optional, and the field's doc comment.
 */
export function detailFields(name) {
  const {checker} = program();
  const symbol = globalEventMap().getProperty(name);
  if (!symbol) return undefined;
  const event = checker.getTypeOfSymbol(symbol);
  const detailSymbol = event.getProperty('detail');
  const detail = detailSymbol && checker.getTypeOfSymbol(detailSymbol);
  if (!detail || !(detail.flags & ts.TypeFlags.Object) || !detail.getProperties().length)
    return undefined;
  return detail.getProperties().map((field) => {
    const type = checker.getTypeOfSymbol(field);
    const union = literalUnion(type);
    const spelled = union && union.split(' | ').length <= 6 ? union : undefined;
    return {
      name: field.name,
      type: spelled ?? checker.typeToString(checker.getNonNullableType(type)),
      optional: !!(field.flags & ts.SymbolFlags.Optional),
      description: ts.displayPartsToString(field.getDocumentationComment(checker)),
    };
  });
}

/** The members of a union type alias exported by a module (`OtpErrorCode`), each a literal. */
export function aliasMembers(path, aliasName) {
  const {checker} = program();
  const found = allExports(path).find((entry) => entry.name === aliasName);
  if (!found) return undefined;
  const symbol = checker
    .getSymbolAtLocation(sourceFile(found.file))
    ?.exports?.get(found.declaration);
  const union = symbol && literalUnion(checker.getDeclaredTypeOfSymbol(symbol));
  return union?.split(' | ').map((member) => member.slice(1, -1));
}
