import type { FastifyInstance } from 'fastify';

/**
 * The routes the app serves, matched against a concrete path without Fastify's router. Fastify
 * answers a known path with an unknown method, and a URL its router cannot decode, before any
 * route is chosen; this table tells those answers which route (and which methods) the path meant.
 */

interface Entry {
  methods: Set<string>;
  segments: string[];
  /** false for the public routes (/health, /openapi.json, /docs) */
  auth: boolean;
}

export interface RouteMatch {
  /** every method the path answers, sorted: the Allow header of a 405 */
  allow: string[];
  auth: boolean;
  /** the path's parameters by name, still percent-encoded */
  params: Record<string, string>;
}

function splitPath(path: string): string[] {
  return path.split('/').slice(1);
}

export class RouteTable {
  private readonly entries = new Map<string, Entry>();

  /** Records every route registered on `app` after this call. */
  install(app: FastifyInstance): void {
    app.addHook('onRoute', (route) => {
      const url = route.url ?? route.path;
      if (typeof url !== 'string') return;
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const auth = (route.config as { auth?: boolean } | undefined)?.auth !== false && url !== '/docs' && !url.startsWith('/docs/');
      const entry = this.entries.get(url) ?? { methods: new Set<string>(), segments: splitPath(url), auth };
      for (const m of methods) entry.methods.add(m.toUpperCase());
      this.entries.set(url, entry);
    });
  }

  /** The routes a concrete path (no query) belongs to, whatever the method, merged. */
  match(path: string): RouteMatch | undefined {
    const segments = splitPath(path);
    let best: Record<string, string> | undefined;
    let auth = false;
    const allow = new Set<string>();
    for (const entry of this.entries.values()) {
      const params = matchSegments(entry.segments, segments);
      if (!params) continue;
      for (const m of entry.methods) allow.add(m);
      auth ||= entry.auth;
      // a static route wins over a parametric one, as in Fastify's router
      if (!best || Object.keys(params).length < Object.keys(best).length) best = params;
    }
    return best ? { allow: [...allow].sort(), auth, params: best } : undefined;
  }
}

function matchSegments(pattern: string[], segments: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p === '*') return params;
    const s = segments[i];
    if (s === undefined) return undefined;
    if (p.startsWith(':')) {
      if (s === '') return undefined;
      params[p.slice(1)] = s;
    } else if (p !== s) {
      return undefined;
    }
  }
  return segments.length === pattern.length ? params : undefined;
}
