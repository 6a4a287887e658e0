#!/usr/bin/env node
// The `aeslens` command: runs the TypeScript CLI in models/cli through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../models/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
