// The editor data, written by the maintained Custom Elements Manifest plugins from
// custom-elements.json: vscode.html-custom-data.json (custom-element-vs-code-integration;
// a page points `html.customData` at it) and web-types.json
// (custom-element-jet-brains-integration; package.json's "web-types" names it).
// What is ours is the reading they are handed, for what they read otherwise than
// the manifest says it (each noted where it is done), and nothing else.
import {getWebTypesData} from 'custom-element-jet-brains-integration';
import {getVsCodeHtmlCustomData} from 'custom-element-vs-code-integration';
import {docsUrl, elementsOf, plainDefault, specifierOf} from './manifest-elements.mjs';

const oneLine = (text) => text.replace(/\s*\n\s*/g, ' ');

/** The manifest's declaration of the element with this tag. */
const declarationOf = (manifest, pkg, tagName) =>
  elementsOf(manifest, pkg).find(({declaration}) => declaration.tagName === tagName)
    .declaration;

/**
 * The manifest as both plugins read it: each element described by its summary and
 * its description (the plugins show one or the other), then changed by `change`.
 */
function editorView(manifest, change = (declaration) => declaration) {
  return {
    ...manifest,
    modules: manifest.modules.map((module) => ({
      ...module,
      declarations: module.declarations?.map((declaration) =>
        declaration.customElement
          ? change({
              ...declaration,
              summary: [
                declaration.summary && `**${declaration.summary}**`,
                declaration.description,
              ]
                .filter(Boolean)
                .join('\n\n'),
            })
          : declaration,
      ),
    })),
  };
}

/**
 * What VS Code's custom data has no field for, said in the descriptions: an event's
 * type (with its detail), an attribute's type and default, the custom states.
 */
function forVsCode(declaration) {
  const states = (declaration.cssStates ?? [])
    .map((state) => `- \`:state(${state.name})\` - ${oneLine(state.description ?? '')}`)
    .join('\n');
  return {
    ...declaration,
    // The plugin puts a `---` straight under the text, which would make its last
    // line a heading: a blank line keeps it a rule.
    summary: `${[declaration.summary, states && `### **Custom states:**\n${states}`]
      .filter(Boolean)
      .join('\n\n')}\n`,
    events: declaration.events?.map((event) => ({
      ...event,
      description: `(\`${event.type?.text}\`) ${event.description ?? ''}`,
    })),
    attributes: declaration.attributes?.map((attribute) => {
      const type = attribute.type?.text;
      const notes = [
        type && !type.includes("'") && `Type: \`${type}\`.`,
        attribute.default !== undefined &&
          `Default: \`${plainDefault(attribute.default)}\`.`,
      ].filter(Boolean);
      return {
        ...attribute,
        description: [attribute.description, notes.join(' ')]
          .filter(Boolean)
          .join('\n\n'),
      };
    }),
  };
}

export function vscodeCustomData(manifest, pkg) {
  const data = JSON.parse(
    getVsCodeHtmlCustomData(editorView(manifest, forVsCode), {
      referencesTemplate: (name, tag) => [
        {name: 'API reference', url: docsUrl(pkg, tag)},
      ],
      // The plugin prints an undefined default after each; the CSS properties are
      // listed in docs/api.md and, for JetBrains IDEs, in web-types.json.
      hideCssPropertiesDocs: true,
    }),
  );
  // A boolean attribute takes no value: present or not (VS Code's value set "v").
  // The plugin offers `mask=""` instead.
  for (const tag of data.tags) {
    const {attributes} = declarationOf(manifest, pkg, tag.name);
    for (const attribute of tag.attributes)
      if (attributes.find((a) => a.name === attribute.name)?.type?.text === 'boolean')
        attribute.valueSet = 'v';
  }
  return JSON.stringify(data);
}

export function webTypes(manifest, pkg) {
  const data = JSON.parse(
    getWebTypesData(editorView(manifest), {
      referenceTemplate: (name, tag) => ({name: 'API reference', url: docsUrl(pkg, tag)}),
      // Where a page imports the class from (`otp-step/class`), not the file.
      modulePathTemplate: (name, path) => specifierOf(pkg, path),
      // As for VS Code; web-types lists the CSS properties under "css".
      hideCssPropertiesDocs: true,
    }),
  );
  // The plugin does not mark a read-only property (`value` of <otp-step>), which a
  // template must not bind.
  for (const element of data.contributions.html.elements) {
    const {members} = declarationOf(manifest, pkg, element.name);
    for (const property of element.js.properties)
      if (members.find((member) => member.name === property.name)?.readonly)
        property['read-only'] = true;
  }
  // The types it copies from the manifest are TypeScript's (`'small' | 'medium'`,
  // `CustomEvent<OtpConfirmedDetail>`); web-types says so in "js-types-syntax",
  // which the plugin does not write.
  const {$schema, name, version, ...rest} = data;
  return JSON.stringify({
    $schema,
    name,
    version,
    'js-types-syntax': 'typescript',
    ...rest,
  });
}
