import qs from 'qs';

/**
 * The query string, in the bracket notation CONTRACT.md names for objects and arrays
 * (`users[0][id]=1`, `users[][id]=1`).
 *
 * qs reads a repeated `users[][id]=A&users[][id]=B` as ONE user whose id is ['A', 'B'], because
 * `[]` only says "append" and qs appends to the last element's `id`. Rails and PHP read it as a new
 * element whenever a key repeats, which is what every client that sends this form means. So before
 * qs runs, `name[][key]` is rewritten to `name[i][key]`, starting element i + 1 whenever `key` was
 * already set on element i. This is generic: any list-of-objects parameter gets it.
 */

const QS_OPTIONS = {
  depth: 4,
  // large enough that a too-long list reaches its zod bound (which names the parameter) as an array
  arrayLimit: 1000,
  parameterLimit: 2000,
} as const;

const LIST_OF_OBJECTS = /^([^[\]]+)\[\]\[([^[\]]+)\]$/;

export function parseQueryString(search: string): Record<string, unknown> {
  return qs.parse(indexListsOfObjects(search), QS_OPTIONS);
}

/** A query parameter's name as the client meant it; undefined when its percent-encoding is broken. */
export function decodeQueryName(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function indexListsOfObjects(search: string): string {
  if (!search.includes('[]') && !/%5B%5D/i.test(search)) return search;
  const lists = new Map<string, { index: number; keys: Set<string> }>();
  return search
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq === -1 ? pair : pair.slice(0, eq);
      const name = decodeQueryName(rawName);
      const m = name === undefined ? null : LIST_OF_OBJECTS.exec(name);
      if (!m) return pair;
      const [, list, key] = m as unknown as [string, string, string];
      let element = lists.get(list);
      if (!element) {
        element = { index: 0, keys: new Set() };
        lists.set(list, element);
      } else if (element.keys.has(key)) {
        element.index += 1;
        element.keys = new Set();
      }
      element.keys.add(key);
      const indexed = `${encodeURIComponent(list)}[${element.index}][${encodeURIComponent(key)}]`;
      return eq === -1 ? indexed : `${indexed}${pair.slice(eq)}`;
    })
    .join('&');
}
