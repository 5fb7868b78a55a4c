import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, it} from 'node:test';
import {loadTemplates} from '../load-templates.js';

describe('loadTemplates', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'otp-templates-'));
  });
  afterEach(() => rmSync(dir, {recursive: true, force: true}));

  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), {recursive: true});
    writeFileSync(join(dir, path), text);
  };

  it('reads email/<lang>.{subject.txt,text.txt,html} and sms/<lang>.txt', async () => {
    write('email/pt.subject.txt', '{code} – {app}\n');
    write('email/pt.html', '<p>{code}</p>\n');
    write('email/fr.text.txt', 'Code : {code}\n');
    write('sms/de.txt', '{code} ist Ihr Code\n');
    assert.deepEqual(await loadTemplates(dir), {
      email: {
        fr: {text: 'Code : {code}\n'},
        pt: {subject: '{code} – {app}', html: '<p>{code}</p>\n'},
      },
      sms: {de: '{code} ist Ihr Code'},
    });
  });

  it('reads an empty folder as no overrides', async () => {
    assert.deepEqual(await loadTemplates(dir), {});
  });

  it('names the file with an unknown placeholder', async () => {
    write('sms/en.txt', '{code} {minuts}');
    await assert.rejects(
      loadTemplates(dir),
      /sms[/\\]en\.txt: .*unknown placeholder \{minuts\}/,
    );
  });

  it('names a file that does not belong', async () => {
    write('email/en.body.txt', 'x');
    await assert.rejects(
      loadTemplates(dir),
      /en\.body\.txt: expected <lang>\.subject\.txt/,
    );
    rmSync(join(dir, 'email'), {recursive: true});
    write('push/en.txt', 'x');
    await assert.rejects(loadTemplates(dir), /push: unexpected/);
  });

  it('refuses a subject of two lines, and a folder that is not there', async () => {
    write('email/en.subject.txt', 'a\nb\n');
    await assert.rejects(
      loadTemplates(dir),
      /en\.subject\.txt: a subject must be one line/,
    );
    await assert.rejects(
      loadTemplates(join(dir, 'missing')),
      /cannot read the folder .*ENOENT/,
    );
  });
});
