// web-types.json: JetBrains web-types (schema 2), so WebStorm and the other
// JetBrains IDEs complete and describe <otp-step> and <otp-input> in HTML and in
// framework templates: attributes (with the values of enumerated ones), properties,
// events with their types, slots, CSS parts and custom properties. The IDE finds
// the file through package.json's "web-types" field.
import {
  docsUrl,
  elementsOf,
  enumValues,
  fieldsOf,
  plainDefault,
  specifierOf,
} from './manifest-elements.mjs';

const named = (items) =>
  items?.length
    ? items.map(({name, description}) => ({name, ...(description && {description})}))
    : undefined;

function attributeTypes(attribute) {
  const values = enumValues(attribute.type);
  if (values)
    return {value: {kind: 'plain', type: 'enum'}, values: values.map((name) => ({name}))};
  const type = attribute.type?.text ?? 'string';
  return {value: {kind: 'plain', type}};
}

export function webTypes(manifest, pkg) {
  const elements = elementsOf(manifest, pkg).map(({declaration, module}) => ({
    name: declaration.tagName,
    description: [declaration.summary, declaration.description]
      .filter(Boolean)
      .join('\n\n'),
    'doc-url': docsUrl(pkg, declaration.tagName),
    source: {module: specifierOf(pkg, module.path), symbol: declaration.name},
    attributes: (declaration.attributes ?? []).map((attribute) => ({
      name: attribute.name,
      ...(attribute.description && {description: attribute.description}),
      ...(attribute.default !== undefined && {default: plainDefault(attribute.default)}),
      ...attributeTypes(attribute),
    })),
    slots: named(declaration.slots),
    js: {
      properties: fieldsOf(declaration).map((field) => ({
        name: field.name,
        ...(field.description && {description: field.description}),
        ...(field.type && {type: field.type.text}),
        ...(field.readonly && {'read-only': true}),
      })),
      events: (declaration.events ?? []).map((event) => ({
        name: event.name,
        ...(event.description && {description: event.description}),
        ...(event.type && {type: event.type.text}),
      })),
    },
    css: {
      properties: named(declaration.cssProperties),
      parts: named(declaration.cssParts),
    },
  }));
  return JSON.stringify({
    $schema:
      'https://raw.githubusercontent.com/JetBrains/web-types/master/schema/web-types.json',
    name: pkg.name,
    version: pkg.version,
    'js-types-syntax': 'typescript',
    'description-markup': 'markdown',
    contributions: {html: {elements}},
  });
}
