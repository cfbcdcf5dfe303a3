#!/usr/bin/env node
'use strict';
// Thin launcher: the compiled CLI lives in dist/ (built by `prepare` in a clone, shipped in the
// package tarball). It calls main itself, once: main.js never starts on being required.
require('../dist/src/cli/main.js').main(process.argv);
