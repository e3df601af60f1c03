import type { IntegrationEntry } from '../service/integrations.js';

/**
 * The hosted connect page, rendered on the server: plain HTML forms that work without script and
 * without any CDN (one stylesheet served by Parley). Every field has a label, help text is tied to
 * its field (aria-describedby), errors are announced (role="alert") and mark their field.
 */

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export const CONNECT_CSS_PATH = '/connect-assets/connect.css';

export const CONNECT_CSS = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
body { margin: 0; background: #f5f6f8; color: #1d2330; }
main { max-width: 34rem; margin: 3rem auto; background: #fff; border-radius: 12px; padding: 2rem 2.25rem; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
p.lead { color: #4a5262; margin: 0 0 1.5rem; }
ul.vendors { list-style: none; padding: 0; margin: 0; display: grid; gap: .6rem; }
ul.vendors a { display: flex; justify-content: space-between; align-items: center; padding: .85rem 1rem; border: 1px solid #d5d9e0; border-radius: 8px; color: inherit; text-decoration: none; font-weight: 600; }
ul.vendors a:hover, ul.vendors a:focus-visible { border-color: #3558d6; background: #f0f3ff; }
ul.vendors small { font-weight: 400; color: #5b6474; }
label { display: block; font-weight: 600; margin: 1rem 0 .3rem; }
input { box-sizing: border-box; width: 100%; padding: .6rem .7rem; border: 1px solid #aab1bd; border-radius: 6px; font: inherit; }
input[aria-invalid="true"] { border-color: #c62828; }
.help { font-size: .85rem; color: #5b6474; margin: .25rem 0 0; }
.field-error { color: #c62828; font-size: .85rem; margin: .3rem 0 0; }
.alert { border: 1px solid #c62828; background: #fdecea; color: #8e1c1c; border-radius: 8px; padding: .75rem 1rem; margin: 0 0 1rem; }
.where { background: #f0f3ff; border-radius: 8px; padding: .75rem 1rem; margin: 0 0 1rem; }
details { margin-top: 1rem; }
summary { cursor: pointer; font-weight: 600; }
button { margin-top: 1.5rem; width: 100%; padding: .75rem; border: 0; border-radius: 8px; background: #3558d6; color: #fff; font: inherit; font-weight: 600; cursor: pointer; }
button.secondary { background: #fff; color: #3558d6; border: 1px solid #3558d6; }
:focus-visible { outline: 3px solid #8aa2ff; outline-offset: 2px; }
.or { text-align: center; color: #5b6474; margin: 1.25rem 0 0; }
a.back { display: inline-block; margin-top: 1.25rem; color: #3558d6; }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${CONNECT_CSS_PATH}">
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export function renderChooser(base: string, endUserName: string | undefined, integrations: IntegrationEntry[]): string {
  const items = integrations
    .map((i) => {
      const how = i.auth.includes('oauth2') ? 'API key or sign in' : 'API key';
      return `<li><a href="${escapeHtml(`${base}/${i.slug}`)}">${escapeHtml(i.name)} <small>${how}</small></a></li>`;
    })
    .join('\n');
  const who = endUserName ? `, ${escapeHtml(endUserName)}` : '';
  return page(
    'Connect your call recorder',
    `<h1>Connect your call recorder</h1>
<p class="lead">Welcome${who}. Choose the tool your team records calls with.</p>
<nav aria-label="Call recorders"><ul class="vendors">
${items}
</ul></nav>`,
  );
}

interface SchemaField {
  key: string;
  title: string;
  description?: string;
  type: 'text' | 'password' | 'url' | 'number';
  required: boolean;
  min?: number;
  max?: number;
}

const SECRET_KEY = /(secret|password|token|key)$/;

function humanize(key: string): string {
  const s = key.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The credential form's fields, from the integration's JSON Schema. */
export function formFields(schema: Record<string, unknown>): SchemaField[] {
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([key, p]) => {
    const numeric = p.type === 'integer' || p.type === 'number';
    return {
      key,
      title: typeof p.title === 'string' ? p.title : humanize(key),
      ...(typeof p.description === 'string' ? { description: p.description } : {}),
      type: numeric ? 'number' : p.format === 'uri' ? 'url' : SECRET_KEY.test(key) ? 'password' : 'text',
      required: required.has(key),
      ...(numeric && typeof p.minimum === 'number' && Math.abs(p.minimum) < 1e12 ? { min: p.minimum } : {}),
      ...(numeric && typeof p.maximum === 'number' && Math.abs(p.maximum) < 1e12 ? { max: p.maximum } : {}),
    };
  });
}

/** Form values back to the credentials object: empty fields left out, numbers as numbers. */
export function credentialsFromForm(schema: Record<string, unknown>, form: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of formFields(schema)) {
    const raw = form[f.key];
    if (typeof raw !== 'string' || raw.trim() === '') continue;
    const v = raw.trim();
    out[f.key] = f.type === 'number' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  }
  return out;
}

export interface FormState {
  /** the message for the whole form (the vendor's rejection) */
  error?: string;
  /** field → message */
  fieldErrors?: Record<string, string>;
  /** what the user typed, secrets excluded (never echoed back) */
  values?: Record<string, string>;
}

function fieldHtml(f: SchemaField, state: FormState): string {
  const id = `f-${f.key}`;
  const error = state.fieldErrors?.[f.key];
  const describedBy = [f.description ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const value = f.type !== 'password' && state.values?.[f.key] ? ` value="${escapeHtml(state.values[f.key]!)}"` : '';
  const attrs = [
    `id="${id}"`,
    `name="${escapeHtml(f.key)}"`,
    `type="${f.type}"`,
    f.required ? 'required aria-required="true"' : '',
    f.type === 'password' ? 'autocomplete="off" spellcheck="false"' : f.type === 'url' ? 'inputmode="url" spellcheck="false"' : 'spellcheck="false"',
    f.min !== undefined ? `min="${f.min}"` : '',
    f.max !== undefined ? `max="${f.max}"` : '',
    f.type === 'number' ? 'step="1"' : '',
    describedBy ? `aria-describedby="${describedBy}"` : '',
    error ? 'aria-invalid="true"' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return `<label for="${id}">${escapeHtml(f.title)}${f.required ? '' : ' <small>(optional)</small>'}</label>
<input ${attrs}${value}>
${f.description ? `<p class="help" id="${id}-help">${escapeHtml(f.description)}</p>` : ''}
${error ? `<p class="field-error" id="${id}-error">${escapeHtml(error)}</p>` : ''}`;
}

export function renderCredentialForm(
  base: string,
  integration: IntegrationEntry,
  state: FormState,
  opts: { oauthAvailable: boolean; hint?: string },
): string {
  const fields = formFields(integration.credentials_schema);
  const required = fields.filter((f) => f.required);
  const optional = fields.filter((f) => !f.required);
  const action = `${base}/${integration.slug}`;
  const oauth = opts.oauthAvailable
    ? `<form method="post" action="${escapeHtml(`${action}/oauth`)}">
<button type="submit" id="oauth">Sign in with ${escapeHtml(integration.name)}</button>
</form>
<p class="or">or connect with an API key</p>`
    : '';
  return page(
    `Connect ${integration.name}`,
    `<h1>Connect ${escapeHtml(integration.name)}</h1>
${state.error ? `<div class="alert" role="alert" id="form-error">${escapeHtml(state.error)}</div>` : ''}
<p class="where" id="where">${escapeHtml(integration.credentials_help)}</p>
${opts.hint ? `<p class="where" id="sandbox-hint">${escapeHtml(opts.hint)}</p>` : ''}
${oauth}
<form method="post" action="${escapeHtml(action)}" novalidate aria-describedby="where">
${required.map((f) => fieldHtml(f, state)).join('\n')}
${optional.length ? `<details${optional.some((f) => state.fieldErrors?.[f.key] || state.values?.[f.key]) ? ' open' : ''}><summary>Advanced settings</summary>\n${optional.map((f) => fieldHtml(f, state)).join('\n')}\n</details>` : ''}
<button type="submit" class="${opts.oauthAvailable ? 'secondary' : ''}">Connect ${escapeHtml(integration.name)}</button>
</form>
<a class="back" href="${escapeHtml(base)}">← Choose another tool</a>`,
  );
}

export function renderMessage(title: string, message: string, opts: { accountId?: string } = {}): string {
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1>
<p class="lead" role="status">${escapeHtml(message)}</p>
${opts.accountId ? `<p>Connection id: <code id="integrated-account-id">${escapeHtml(opts.accountId)}</code></p>` : ''}`,
  );
}
