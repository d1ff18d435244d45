#!/usr/bin/env node
// Judges app descriptions with an independent JSON Schema validator (ajv,
// draft-07) against schema/sparkgen.schema.json, for tests/gen/suite.sh.
// Usage: node schema-check.mjs SCHEMA FILE...   (NODE_MODULES_DIR = where ajv lives)
// Prints one line per file: "valid FILE", "invalid FILE <first error>", or
// "unparsable FILE <reason>".  Exit 0 unless the schema itself is broken (2).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [schemaPath, ...files] = process.argv.slice(2);
const modules = process.env.NODE_MODULES_DIR;
if (!schemaPath || !modules) { console.error('usage: NODE_MODULES_DIR=... schema-check.mjs SCHEMA FILE...'); process.exit(2); }
const req = createRequire(path.join(modules, 'noop.js'));
const Ajv = req('ajv').default;
const YAML = req('yaml');

// strict mode catches schema mistakes; errorMessage is sparkgen's annotation
const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
// mergePatch, sparkgen's keyword: the value is a JSON merge patch (RFC 7386)
// of what the subschema describes, so a null in a mapping (not in a list)
// deletes its key and is not checked.  Dropped here before the object's
// keywords see the value (a misspelt key set to null then passes ajv;
// sparkgen still refuses it as unknown).
function dropNulls(v) {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return;
  for (const k of Object.keys(v)) {
    if (v[k] === null) delete v[k];
    else dropNulls(v[k]);
  }
}
ajv.addKeyword({
  keyword: 'mergePatch', schemaType: 'boolean', modifying: true,
  validate: (on, data) => { if (on) dropNulls(data); return true; },
});
let validate;
try {
  validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
} catch (e) {
  console.error(`schema-check: ${schemaPath}: ${e.message}`);
  process.exit(2);
}
for (const f of files) {
  let docs;
  try {
    // YAML 1.1, as Kubernetes (and sparkgen) read it
    docs = YAML.parseAllDocuments(fs.readFileSync(f, 'utf8'), { version: '1.1', uniqueKeys: true });
    const bad = docs.find(d => d.errors.length);
    if (bad) throw new Error(bad.errors[0].message.split('\n')[0]);
    docs = docs.filter(d => d.contents !== null);
    if (docs.length !== 1) throw new Error(`${docs.length} documents`);
  } catch (e) {
    console.log(`unparsable ${f} ${e.message}`);
    continue;
  }
  const value = docs[0].toJS({ maxAliasCount: 100 });
  if (validate(value)) console.log(`valid ${f}`);
  else console.log(`invalid ${f} ${validate.errors[0].instancePath} ${validate.errors[0].message}`);
}
