import {readdir, readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {checkTemplates} from './render.js';
import type {OtpTemplates} from './templates.js';

const EMAIL_FILE =
  /^([A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*)\.(subject\.txt|text\.txt|html)$/;
const SMS_FILE = /^([A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*)\.txt$/;
const FIELD = {'subject.txt': 'subject', 'text.txt': 'text', html: 'html'} as const;

async function list(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Reads template overrides from a folder (OTP_TEMPLATES_DIR):
 * `email/<lang>.subject.txt`, `email/<lang>.text.txt`, `email/<lang>.html`
 * and `sms/<lang>.txt`, UTF-8; any file may be left out. A file of another
 * name, or a template with an unknown placeholder, is an error naming it.
 */
export async function loadTemplates(dir: string): Promise<OtpTemplates> {
  const top = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      `templates: cannot read the folder ${dir} (${error.code ?? error.message})`,
    );
  });
  for (const name of top)
    if (name !== 'email' && name !== 'sms' && !name.startsWith('.'))
      throw new Error(
        `templates: ${join(dir, name)}: unexpected (only email/ and sms/ belong here)`,
      );
  const templates: OtpTemplates = {};
  for (const name of await list(join(dir, 'email'))) {
    if (name.startsWith('.')) continue;
    const file = join(dir, 'email', name);
    const match = EMAIL_FILE.exec(name);
    if (!match)
      throw new Error(
        `templates: ${file}: expected <lang>.subject.txt, <lang>.text.txt or <lang>.html`,
      );
    const field = FIELD[match[2] as keyof typeof FIELD];
    let text = await readFile(file, 'utf8');
    // A subject is one line; an editor's final newline is not part of it.
    if (field === 'subject') text = text.replace(/\r?\n$/, '');
    if (field === 'subject' && /[\r\n]/.test(text))
      throw new Error(`templates: ${file}: a subject must be one line`);
    ((templates.email ??= {})[match[1]] ??= {})[field] = text;
    check(file, templates);
  }
  for (const name of await list(join(dir, 'sms'))) {
    if (name.startsWith('.')) continue;
    const file = join(dir, 'sms', name);
    const match = SMS_FILE.exec(name);
    if (!match) throw new Error(`templates: ${file}: expected <lang>.txt`);
    (templates.sms ??= {})[match[1]] = (await readFile(file, 'utf8')).replace(
      /\r?\n$/,
      '',
    );
    check(file, templates);
  }
  return templates;
}

function check(file: string, templates: OtpTemplates) {
  try {
    checkTemplates(templates);
  } catch (error) {
    throw new Error(`templates: ${file}: ${(error as Error).message}`);
  }
}
