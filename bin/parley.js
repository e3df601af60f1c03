#!/usr/bin/env node
// From a checkout the TypeScript CLI runs through tsx, so `npx parley` works without a build step;
// where only the build is present (the Docker image), the compiled JavaScript runs.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/src/cli/main.js', import.meta.url).href);
}
