#!/usr/bin/env node
'use strict';
// Thin launcher: the compiled CLI lives in dist/ (built by `prepare` in a clone, shipped in the
// package tarball). It calls main itself, once: main.js never starts on being required.
const { join } = require('node:path');
const entry = join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
let cli;
try {
  cli = require(entry);
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes(entry)) {
    process.stderr.write(`epicenter: ${entry} is missing: run \`npm install\` (or \`npm run build\`) in ${join(__dirname, '..')}\n`);
    process.exit(1);
  }
  throw e;
}
void cli.main(process.argv);
