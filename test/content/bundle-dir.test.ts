// A rule set on disk carries DMN documents (processes/<id>/*.dmn, keyed by their definitions id) and
// Camunda Forms (schemas/<id>/*.form, keyed by the form's id and converted to JSON Schema).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBundleDir } from '../../server/domain/rulesets.js';

describe('rule sets on disk', () => {
  it('reads *.dmn beside the diagrams and *.form beside the schemas', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-bundle-dir-'));
    const procDir = path.join(dir, 'processes');
    const schemaDir = path.join(dir, 'schemas');
    fs.mkdirSync(procDir);
    fs.mkdirSync(schemaDir);
    fs.writeFileSync(path.join(procDir, 'jurisdiction.json'), JSON.stringify({ id: 'town-x', name: '某镇', parent: 'national' }));
    const corpus = path.join(import.meta.dirname, '../differential/corpus/triage-class.dmn');
    fs.copyFileSync(corpus, path.join(procDir, 'classes.dmn'));
    fs.copyFileSync(path.join(import.meta.dirname, '../fixtures/forms/contact.form'), path.join(schemaDir, 'any-name.form'));
    const bundle = readBundleDir(procDir, schemaDir);
    expect(bundle.decisions).toEqual([{ key: 'triage-class', xml: fs.readFileSync(corpus, 'utf8') }]);
    expect(Object.keys(bundle.forms!)).toEqual(['contact']);
    expect(bundle.forms!.contact).toMatchObject({ formJs: { id: 'contact' }, schema: { type: 'object', properties: { verified: { type: 'boolean' } } }, uiSchema: { verified: { 'ui:readonly': true } } });
  });
});
