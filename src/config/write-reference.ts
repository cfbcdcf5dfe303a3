import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir } from './load';
import { configReference } from './reference';

/** `npm run docs:config`: regenerates docs/configuration.md from the schema. */
const file = join(packageDir(), 'docs', 'configuration.md');
writeFileSync(file, configReference());
process.stdout.write(`wrote ${file}\n`);
