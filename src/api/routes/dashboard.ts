import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';

/**
 * The dashboard (`src/web/dashboard/`): plain ES modules and a stylesheet served as they are, no
 * build step, plus Chart.js' own UMD bundle from node_modules. Nothing comes from another origin.
 * The page is public (it holds no data); it asks for an API token and calls the API with it.
 */

/** The dashboard's folder, found from this module (src/ under tsx; a JavaScript build may not copy it). */
export function dashboardRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, '..', '..', 'web', 'dashboard');
  if (existsSync(join(beside, 'index.html'))) return beside;
  return join(here, '..', '..', '..', 'src', 'web', 'dashboard');
}

const CHART_JS = 'chart.umd.min.js';

function chartJsRoot(): string {
  // chart.js exports no subpath for its UMD bundle: find the package, then the file in its dist/
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('chart.js'));
}

/**
 * Own origin only; no inline script or style (Chart.js sizes its canvas through the CSSOM, which a
 * policy does not govern); the token goes only to this origin's API.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "script-src-attr 'none'",
].join('; ');

function secure(reply: FastifyReply): void {
  reply.header('content-security-policy', DASHBOARD_CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  // the page is small and changes with each release: revalidate (ETag) rather than cache blindly
  reply.header('cache-control', 'no-cache');
}

export async function dashboardRoutes(app: FastifyInstance): Promise<void> {
  // every route of this plugin is public: the page and its assets hold no tenant's data
  app.addHook('onRoute', (route) => {
    route.config = { ...(route.config as object), auth: false } as typeof route.config;
  });
  app.addHook('onSend', async (_req, reply) => {
    secure(reply);
  });
  // one route per file of the folder (no wildcard: a path is either a file of it or not Parley's)
  await app.register(fastifyStatic, {
    root: dashboardRoot(),
    prefix: '/dashboard/',
    index: 'index.html',
    redirect: false,
    wildcard: false,
    dotfiles: 'deny',
  });
  // of chart.js' dist/, only its UMD bundle
  const chartRoot = chartJsRoot();
  app.get(`/dashboard/vendor/${CHART_JS}`, { config: { auth: false }, schema: { hide: true } }, (_req, reply) => reply.sendFile(CHART_JS, chartRoot));
  // `/dashboard` (the address the banner prints) is the folder's index
  app.get('/dashboard', { schema: { hide: true } }, (_req, reply) => {
    reply.redirect('/dashboard/', 302);
  });
}
