#!/usr/bin/env node
// Package bin: runs the TypeScript client through tsx's CommonJS loader.
require('tsx/cjs');
require('./main.ts');
