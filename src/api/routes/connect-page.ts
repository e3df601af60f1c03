import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ParleyError, RemoteError } from '../../domain/errors.js';
import type { ConnectService } from '../../service/connect.js';
import { integrationEntry } from '../../service/integrations.js';
import { CONNECT_CSS, CONNECT_CSS_PATH, credentialsFromForm, formFields, renderChooser, renderCredentialForm, renderMessage, type FormState } from '../../web/connect-page.js';
import { oauthRedirectUri } from '../connect-urls.js';

/**
 * The connect page's routes (no API token: the session token in the path is the credential). HTML
 * in, HTML out: errors are rendered as pages, never as JSON bodies.
 */
const OAUTH_COOKIE = 'parley_oauth';
/** At most this much of a form is read: a few credential fields. */
const MAX_FORM_BYTES = 32 * 1024;

/** The page allows nothing but its own stylesheet and its own forms' targets. */
const PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'";

export interface ConnectPageOptions {
  connect: ConnectService;
  publicUrl?: string;
  /** sandbox: hints per integration shown on the form (the simulators' keys and addresses) */
  hints?: () => ReadonlyMap<string, string>;
  /** the sandbox's tenant: GET /connect then opens a fresh connect session of it (development only) */
  sandboxTenant?: () => string | undefined;
  /** whether an OAuth app is registered for a tenant and integration */
  oauthReady(tenantId: string, integration: string): Promise<boolean>;
}

function cookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', PAGE_CSP)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .send(body);
}

function errorPage(reply: FastifyReply, err: unknown, req: FastifyRequest): FastifyReply {
  if (err instanceof ParleyError && err.statusCode < 500) {
    const title = err.statusCode === 410 ? 'This link is no longer valid' : err.statusCode === 404 ? 'Not found' : 'Something is not right';
    return html(reply, err.statusCode, renderMessage(title, err.message));
  }
  req.log.error({ err }, 'connect page failed');
  const status = err instanceof ParleyError ? err.statusCode : 502;
  return html(reply, status >= 500 ? 502 : status, renderMessage('Something went wrong', err instanceof ParleyError ? err.message : 'Parley could not finish this step. Try again in a moment.'));
}

/** A 400 from validation names `credentials.<field>`: shown at that field; anything else above the form. */
function formStateOf(err: ParleyError, fields: string[]): FormState {
  if (!(err instanceof RemoteError)) {
    const m = /^credentials\.([a-z_]+): (.*)$/s.exec(err.message);
    if (m && fields.includes(m[1]!)) return { error: 'Please correct the highlighted field.', fieldErrors: { [m[1]!]: m[2]! } };
  }
  return { error: err.message.replace(/^credentials: /, '') };
}

function finished(reply: FastifyReply, done: { accountId: string; redirect?: string }): FastifyReply {
  if (done.redirect) return reply.code(303).header('location', done.redirect).header('cache-control', 'no-store').send();
  return html(reply, 200, renderMessage('Connected', 'Your account is connected. You can close this window.', { accountId: done.accountId }));
}

export function connectPageRoutes(opts: ConnectPageOptions) {
  return async (app: FastifyInstance): Promise<void> => {
    // forms post url-encoded (no script needed); only in this plugin's routes
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: MAX_FORM_BYTES }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    const config = { auth: false };
    const hide = { hide: true };

    app.get(CONNECT_CSS_PATH, { config, schema: hide }, async (_req, reply) =>
      reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(CONNECT_CSS),
    );

    app.get('/connect', { config, schema: hide }, async (req, reply) => {
      const tenantId = opts.sandboxTenant?.();
      if (!tenantId) return html(reply, 404, renderMessage('Not found', 'Connect pages are opened from a link your provider gives you (POST /connect-sessions).'));
      try {
        const created = await opts.connect.createSession(tenantId, { end_user: { id: 'sandbox-user', name: 'sandbox user' } });
        return reply.code(303).header('cache-control', 'no-store').header('location', `/connect/${created.token}`).send();
      } catch (err) {
        return errorPage(reply, err, req);
      }
    });

    app.get<{ Params: { token: string } }>('/connect/:token', { config, schema: hide }, async (req, reply) => {
      try {
        const session = await opts.connect.open(req.params.token);
        const entries = session.integrations.map((s) => integrationEntry(s)).filter((e) => e !== undefined);
        return html(reply, 200, renderChooser(`/connect/${encodeURIComponent(req.params.token)}`, session.endUser.name, entries));
      } catch (err) {
        return errorPage(reply, err, req);
      }
    });

    const form = async (req: FastifyRequest<{ Params: { token: string; slug: string } }>, reply: FastifyReply, state: FormState, status: number) => {
      const session = await opts.connect.open(req.params.token);
      const entry = integrationEntry(req.params.slug);
      if (!entry || !session.integrations.includes(entry.slug)) return html(reply, 404, renderMessage('Not found', 'This tool is not offered in this connect session.'));
      const oauthAvailable = entry.auth.includes('oauth2') && (await opts.oauthReady(session.tenantId, entry.slug));
      const hint = opts.hints?.().get(entry.slug);
      return html(reply, status, renderCredentialForm(`/connect/${encodeURIComponent(req.params.token)}`, entry, state, { oauthAvailable, ...(hint ? { hint } : {}) }));
    };

    app.get<{ Params: { token: string; slug: string } }>('/connect/:token/:slug', { config, schema: hide }, async (req, reply) => {
      try {
        return await form(req, reply, {}, 200);
      } catch (err) {
        return errorPage(reply, err, req);
      }
    });

    app.post<{ Params: { token: string; slug: string }; Body: Record<string, unknown> | undefined }>('/connect/:token/:slug', { config, schema: hide }, async (req, reply) => {
      const entry = integrationEntry(req.params.slug);
      try {
        if (!entry) return html(reply, 404, renderMessage('Not found', 'This tool is not offered in this connect session.'));
        const body = req.body && typeof req.body === 'object' ? req.body : {};
        const credentials = credentialsFromForm(entry.credentials_schema, body);
        const done = await opts.connect.connectWithCredentials(req.params.token, entry.slug, credentials);
        return finished(reply, done);
      } catch (err) {
        if (entry && err instanceof ParleyError && err.statusCode === 400) {
          const fields = formFields(entry.credentials_schema);
          const values = Object.fromEntries(fields.filter((f) => f.type !== 'password').map((f) => [f.key, String((req.body as Record<string, unknown> | undefined)?.[f.key] ?? '')]));
          try {
            return await form(req, reply, { ...formStateOf(err, fields.map((f) => f.key)), values }, 400);
          } catch (inner) {
            return errorPage(reply, inner, req);
          }
        }
        return errorPage(reply, err, req);
      }
    });

    app.post<{ Params: { token: string; slug: string } }>('/connect/:token/:slug/oauth', { config, schema: hide }, async (req, reply) => {
      try {
        const started = await opts.connect.startOAuth(req.params.token, req.params.slug, oauthRedirectUri(req, opts.publicUrl));
        const secure = (opts.publicUrl ?? `${req.protocol}:`).startsWith('https:') ? '; Secure' : '';
        return reply
          .code(303)
          .header('set-cookie', `${OAUTH_COOKIE}=${started.browserNonce}; Path=/connect; HttpOnly; SameSite=Lax; Max-Age=600${secure}`)
          .header('cache-control', 'no-store')
          .header('location', started.authorizeUrl)
          .send();
      } catch (err) {
        return errorPage(reply, err, req);
      }
    });

    app.get<{ Querystring: Record<string, string | undefined> }>('/connect/oauth/callback', { config, schema: hide }, async (req, reply) => {
      try {
        const q = req.query ?? {};
        const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
        const done = await opts.connect.finishOAuth({
          state: str(q.state),
          code: str(q.code),
          error: str(q.error),
          browserNonce: cookie(req, OAUTH_COOKIE),
          redirectUri: oauthRedirectUri(req, opts.publicUrl),
        });
        reply.header('set-cookie', `${OAUTH_COOKIE}=; Path=/connect; HttpOnly; SameSite=Lax; Max-Age=0`);
        return finished(reply, done);
      } catch (err) {
        return errorPage(reply, err, req);
      }
    });
  };
}
