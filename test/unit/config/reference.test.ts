import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configKeys } from '../../../src/config/keys';
import { configReference } from '../../../src/config/reference';

const ROOT = resolve(__dirname, '..', '..', '..');

describe('config: generated reference docs/configuration.md', () => {
  it('is up to date with the schema (run `npm run docs:config` when this fails)', () => {
    const checkedIn = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8');
    assert.equal(checkedIn, configReference(), 'docs/configuration.md is stale: run `npm run docs:config`');
  });

  it('lists every key with its type, default, variable and a description', () => {
    const doc = configReference();
    for (const k of configKeys()) {
      assert.notEqual(k.description, '', `${k.name} has no description in src/config/schema.ts`);
      assert.ok(doc.includes(`| \`${k.name}\` |`) && doc.includes(`\`${k.env}\``), k.name);
    }
    assert.match(doc, /\| `kafka\.topics\.deadLetter` \| string; not empty \| `epicenter\.dlq` \| `EPICENTER_KAFKA_TOPICS_DEAD_LETTER` \|/);
  });
});
