// vscode.html-custom-data.json: VS Code's HTML custom data (version 1.1 of
// microsoft/vscode-html-languageservice's customData schema), so the editor completes
// and describes <otp-step> and <otp-input>, their attributes and the values of the
// enumerated ones. A page points `html.customData` in .vscode/settings.json at
// node_modules/otp-step/vscode.html-custom-data.json.
import {docsUrl, elementsOf, enumValues, plainDefault} from './manifest-elements.mjs';

const list = (title, items, name = (item) => `\`${item.name}\``) =>
  items?.length
    ? `**${title}:**\n\n${items.map((item) => `- ${name(item)}${item.description ? ` — ${item.description.replace(/\s*\n\s*/g, ' ')}` : ''}`).join('\n')}`
    : '';

function tagDescription(declaration) {
  const {summary, description} = declaration;
  return [
    summary && `**${summary}**`,
    description,
    list(
      'Events',
      declaration.events,
      (event) => `\`${event.name}\` (\`${event.type?.text}\`)`,
    ),
    list('Slots', declaration.slots),
    list('Parts', declaration.cssParts),
    list('Custom states', declaration.cssStates, (state) => `\`:state(${state.name})\``),
  ]
    .filter(Boolean)
    .join('\n\n');
}

function attributeData(attribute) {
  const values = enumValues(attribute.type);
  const type = attribute.type?.text;
  const notes = [
    !values && type && `Type: \`${type}\`.`,
    attribute.default !== undefined && `Default: \`${plainDefault(attribute.default)}\`.`,
  ].filter(Boolean);
  return {
    name: attribute.name,
    description: {
      kind: 'markdown',
      value: [attribute.description, notes.join(' ')].filter(Boolean).join('\n\n'),
    },
    // A boolean attribute takes no value: present or not (VS Code's value set "v").
    ...(type === 'boolean' && {valueSet: 'v'}),
    ...(values && {values: values.map((name) => ({name}))}),
  };
}

export function vscodeCustomData(manifest, pkg) {
  return JSON.stringify({
    $schema:
      'https://raw.githubusercontent.com/microsoft/vscode-html-languageservice/main/docs/customData.schema.json',
    version: 1.1,
    tags: elementsOf(manifest, pkg).map(({declaration}) => ({
      name: declaration.tagName,
      description: {kind: 'markdown', value: tagDescription(declaration)},
      attributes: (declaration.attributes ?? []).map(attributeData),
      references: [{name: 'API reference', url: docsUrl(pkg, declaration.tagName)}],
    })),
  });
}
