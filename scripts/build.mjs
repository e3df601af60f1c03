// `npm run build`: plain JavaScript in dist/ (tsc, the type checker itself, so what builds is what
// type-checks), plus the data files the code reads at run time. `npm run start:prod` runs it with node alone.
import { cpSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);
rmSync('dist', { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
// the Gong simulator validates its traffic against Gong's published OpenAPI document (sandbox/gong/openapi.ts)
cpSync('reference/gong-openapi.json', 'dist/reference/gong-openapi.json');
// the dashboard is served as it is written (src/api/routes/dashboard.ts looks beside the compiled routes)
cpSync('src/web/dashboard', 'dist/src/web/dashboard', { recursive: true });
