// docs/api.md: the API reference of both elements, from custom-elements.json and,
// for what the manifest has no place for (the fields of each event's detail, the
// error codes), from the TypeScript types themselves.
// Ours, not @custom-elements-manifest/to-markdown: that one writes a page per
// module path (`dist/lib/otp-step-element.js`), with no event detail fields, no
// error codes, no imports to write, and backticks in descriptions escaped, so
// `detail.confirmation` shows as text with its backticks.
import {aliasMembers, detailFields} from './manifest-program.mjs';
import {
  elementsOf,
  fieldsOf,
  methodsOf,
  signature,
  specifierOf,
} from './manifest-elements.mjs';

/** A table cell: one line, and a `|` that does not end the cell. */
const cell = (text) => (text ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
const code = (text) => (text === undefined || text === '' ? '' : `\`${text}\``);

function table(head, rows) {
  if (!rows.length) return '';
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

function section(title, body) {
  return body ? `### ${title}\n\n${body}` : '';
}

function propertiesTable(declaration) {
  const attributes = declaration.attributes ?? [];
  const rows = fieldsOf(declaration).map((field) => {
    const attribute = attributes.find((a) => a.fieldName === field.name);
    const notes = [
      field.readonly && 'Read-only.',
      field.reflects && 'Reflected to the attribute.',
    ].filter(Boolean);
    return [
      attribute ? code(attribute.name) : '—',
      code(field.name),
      code(field.type?.text),
      code(field.default ?? attribute?.default),
      [field.description, ...notes].filter(Boolean).join(' '),
    ];
  });
  return table(['Attribute', 'Property', 'Type', 'Default', 'Description'], rows);
}

function methodsList(declaration) {
  const methods = methodsOf(declaration);
  return table(
    ['Method', 'Description'],
    methods.map((method) => [code(signature(method)), method.description ?? '']),
  );
}

function eventsList(declaration) {
  return (declaration.events ?? [])
    .map((event) => {
      const fields = detailFields(event.name);
      const detail = fields
        ? `\n\n${table(
            ['`detail` field', 'Type', 'Description'],
            fields.map((field) => [
              code(`${field.name}${field.optional ? '?' : ''}`),
              code(field.type),
              field.description,
            ]),
          )}`
        : '';
      return `#### \`${event.name}\`\n\n${code(event.type?.text)}: ${event.description ?? ''}${detail}`;
    })
    .join('\n\n');
}

const namedTable = (items, head, name = (item) => code(item.name)) =>
  table(
    [head, 'Description'],
    (items ?? []).map((item) => [name(item), item.description ?? '']),
  );

function elementSection(pkg, {declaration, module, defines}) {
  const imports = [
    defines &&
      `\`import '${specifierOf(pkg, defines.path)}';\` defines \`<${declaration.tagName}>\`.`,
    `\`import {${declaration.name}, define} from '${specifierOf(pkg, module.path)}';\` gives the class without defining the tag; \`define(name?, registry?)\` defines it.`,
  ].filter(Boolean);
  return [
    `## \`<${declaration.tagName}>\``,
    declaration.summary && `**${declaration.summary}**`,
    declaration.description,
    imports.join(' '),
    section('Attributes and properties', propertiesTable(declaration)),
    section('Methods', methodsList(declaration)),
    section('Events', eventsList(declaration)),
    section('Slots', namedTable(declaration.slots, 'Slot')),
    section('CSS parts', namedTable(declaration.cssParts, 'Part')),
    section('CSS custom properties', namedTable(declaration.cssProperties, 'Property')),
    section(
      'Custom states',
      namedTable(declaration.cssStates, 'State', (state) =>
        code(`:state(${state.name})`),
      ),
    ),
  ]
    .filter(Boolean)
    .join('\n\n');
}

/** The other declarations of the public modules: functions and non-element classes. */
function othersSection(pkg, manifest) {
  const parts = [];
  for (const module of manifest.modules)
    for (const declaration of module.declarations ?? []) {
      if (declaration.customElement) continue;
      const from = `From \`${specifierOf(pkg, module.path)}\`.`;
      if (declaration.kind === 'function')
        parts.push(
          `### \`${signature(declaration)}\`\n\n${from} ${declaration.description ?? ''}`,
        );
      else if (declaration.kind === 'class') {
        const fields = table(
          ['Property', 'Type', 'Description'],
          fieldsOf(declaration).map((field) => [
            code(field.name),
            code(field.type?.text),
            [field.description, field.readonly && 'Read-only.'].filter(Boolean).join(' '),
          ]),
        );
        parts.push(
          `### \`${declaration.name}\`\n\n${from} Extends \`${declaration.superclass?.name}\`. ${declaration.description ?? ''}${fields ? `\n\n${fields}` : ''}`,
        );
      }
    }
  return parts.length ? `## Functions and classes\n\n${parts.join('\n\n')}` : '';
}

function errorCodes(manifest) {
  const classModule = manifest.modules.find((module) =>
    module.declarations?.some((declaration) => declaration.name === 'OtpStepError'),
  );
  // The source of the class entry, where OtpErrorCode is exported from.
  const codes = classModule && aliasMembers('src/otp-step-element.ts', 'OtpErrorCode');
  return codes
    ? `## Error codes\n\n\`OtpErrorCode\`, the \`code\` of \`otp-error\` and of \`OtpStepError\`: ${codes.map(code).join(', ')}.`
    : '';
}

export function apiReference(manifest, pkg) {
  const elements = elementsOf(manifest, pkg);
  return [
    '# API reference',
    '<!-- Generated by `npm run manifest` from the source (custom-elements.json and the TypeScript types). Do not edit: change the JSDoc in src/ and run it again. -->',
    `The package's elements: ${elements.map(({declaration}) => `[\`<${declaration.tagName}>\`](#${declaration.tagName})`).join(', ')}. Every type named here is exported, for TypeScript, from the entry of its element.`,
    // The server side is not in the manifest: its pages are named here so this one leads to them.
    'The server they talk to: [protocol.md](protocol.md) (codes that are sent) and [authenticator.md](authenticator.md) (authenticator apps: `method="authenticator"`, `enroll`, recovery codes), with their routes in [openapi.json](openapi.json).',
    ...elements.map((element) => elementSection(pkg, element)),
    othersSection(pkg, manifest),
    errorCodes(manifest),
  ]
    .filter(Boolean)
    .join('\n\n')
    .concat('\n');
}
