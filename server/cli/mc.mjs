#!/usr/bin/env node
// `mc` for package.json "bin": registers tsx so the TypeScript CLI runs as it is, then starts it.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
