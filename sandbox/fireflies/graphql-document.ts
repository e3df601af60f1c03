/**
 * Just enough GraphQL for the Fireflies simulator, without a GraphQL library: one operation
 * (`query Name($v: Type!) { field(arg: $v) { sub { subsub } } }`, or the `{ … }` shorthand) read
 * into root fields with their arguments and nested selections, and a projection of plain objects
 * onto a selection — so the simulator answers exactly the fields a client asks for, and rejects
 * the ones it does not know, as a GraphQL server does. Fragments, aliases and directives are not
 * supported (Parley's connector uses none) and are rejected with a validation error.
 */

export class GraphQLDocumentError extends Error {}

export type GraphQLValue = string | number | boolean | null | GraphQLValue[] | { $var: string };

export interface FieldNode {
  name: string;
  args: Record<string, GraphQLValue>;
  /** undefined for a leaf */
  selection?: FieldNode[];
}

export interface OperationNode {
  kind: 'query' | 'mutation' | 'subscription';
  name?: string;
  /** declared variables: name → type as written (`String!`, `[String]`) */
  variables: Record<string, string>;
  fields: FieldNode[];
}

type Token = { t: 'name' | 'punct' | 'string' | 'number' | 'var'; v: string };

function tokenize(source: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source.charAt(i);
    if (/[\s,\uFEFF]/.test(c)) {
      i++;
    } else if (c === '#') {
      while (i < source.length && source.charAt(i) !== '\n') i++;
    } else if ('{}()[]:!=@'.includes(c)) {
      out.push({ t: 'punct', v: c });
      i++;
    } else if (source.startsWith('...', i)) {
      throw new GraphQLDocumentError('Fragments are not supported by this simulator');
    } else if (c === '$') {
      const m = /^\$([_A-Za-z][_0-9A-Za-z]*)/.exec(source.slice(i));
      if (!m) throw new GraphQLDocumentError(`Syntax Error: Expected Name, found "${source.slice(i, i + 5)}"`);
      out.push({ t: 'var', v: m[1]! });
      i += m[0].length;
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < source.length && source.charAt(j) !== '"') {
        if (source.charAt(j) === '\\') {
          text += source.charAt(j + 1);
          j += 2;
        } else text += source.charAt(j++);
      }
      if (j >= source.length) throw new GraphQLDocumentError('Syntax Error: Unterminated string');
      out.push({ t: 'string', v: text });
      i = j + 1;
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(source.slice(i));
      if (!m) throw new GraphQLDocumentError(`Syntax Error: Unexpected character "${c}"`);
      out.push({ t: 'number', v: m[0] });
      i += m[0].length;
    } else if (/[_A-Za-z]/.test(c)) {
      const m = /^[_0-9A-Za-z]+/.exec(source.slice(i))!;
      out.push({ t: 'name', v: m[0] });
      i += m[0].length;
    } else {
      throw new GraphQLDocumentError(`Syntax Error: Unexpected character "${c}"`);
    }
  }
  return out;
}

class Reader {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(): Token | undefined {
    return this.tokens[this.i];
  }

  next(): Token {
    const t = this.tokens[this.i++];
    if (!t) throw new GraphQLDocumentError('Syntax Error: Unexpected end of document');
    return t;
  }

  isPunct(v: string): boolean {
    const t = this.peek();
    return t?.t === 'punct' && t.v === v;
  }

  expectPunct(v: string): void {
    const t = this.next();
    if (t.t !== 'punct' || t.v !== v) throw new GraphQLDocumentError(`Syntax Error: Expected "${v}", found "${t.v}"`);
  }

  expectName(): string {
    const t = this.next();
    if (t.t !== 'name') throw new GraphQLDocumentError(`Syntax Error: Expected Name, found "${t.v}"`);
    return t.v;
  }

  done(): boolean {
    return this.i >= this.tokens.length;
  }
}

function readType(r: Reader): string {
  if (r.isPunct('[')) {
    r.next();
    const inner = readType(r);
    r.expectPunct(']');
    return `[${inner}]${r.isPunct('!') ? (r.next(), '!') : ''}`;
  }
  const name = r.expectName();
  return r.isPunct('!') ? (r.next(), `${name}!`) : name;
}

function readValue(r: Reader): GraphQLValue {
  const t = r.next();
  if (t.t === 'var') return { $var: t.v };
  if (t.t === 'string') return t.v;
  if (t.t === 'number') return Number(t.v);
  if (t.t === 'name') {
    if (t.v === 'true') return true;
    if (t.v === 'false') return false;
    if (t.v === 'null') return null;
    return t.v; // an enum value
  }
  if (t.t === 'punct' && t.v === '[') {
    const items: GraphQLValue[] = [];
    while (!r.isPunct(']')) items.push(readValue(r));
    r.next();
    return items;
  }
  throw new GraphQLDocumentError(`Syntax Error: Unexpected "${t.v}"`);
}

function readSelection(r: Reader): FieldNode[] {
  r.expectPunct('{');
  const fields: FieldNode[] = [];
  while (!r.isPunct('}')) {
    const name = r.expectName();
    if (r.isPunct(':')) throw new GraphQLDocumentError('Aliases are not supported by this simulator');
    if (r.isPunct('@')) throw new GraphQLDocumentError('Directives are not supported by this simulator');
    const args: Record<string, GraphQLValue> = {};
    if (r.isPunct('(')) {
      r.next();
      while (!r.isPunct(')')) {
        const arg = r.expectName();
        r.expectPunct(':');
        args[arg] = readValue(r);
      }
      r.next();
    }
    const field: FieldNode = { name, args };
    if (r.isPunct('{')) field.selection = readSelection(r);
    fields.push(field);
  }
  r.next();
  if (fields.length === 0) throw new GraphQLDocumentError('Syntax Error: Expected Name, found "}"');
  return fields;
}

/** The one operation of `source` (or the one named `operationName`). */
export function parseOperation(source: string, operationName?: string | null): OperationNode {
  const r = new Reader(tokenize(source));
  const operations: OperationNode[] = [];
  while (!r.done()) {
    if (r.isPunct('{')) {
      operations.push({ kind: 'query', variables: {}, fields: readSelection(r) });
      continue;
    }
    const kind = r.expectName();
    if (kind === 'fragment') throw new GraphQLDocumentError('Fragments are not supported by this simulator');
    if (kind !== 'query' && kind !== 'mutation' && kind !== 'subscription') {
      throw new GraphQLDocumentError(`Syntax Error: Unexpected Name "${kind}"`);
    }
    const name = r.peek()?.t === 'name' ? r.expectName() : undefined;
    const variables: Record<string, string> = {};
    if (r.isPunct('(')) {
      r.next();
      while (!r.isPunct(')')) {
        const v = r.next();
        if (v.t !== 'var') throw new GraphQLDocumentError(`Syntax Error: Expected "$", found "${v.v}"`);
        r.expectPunct(':');
        variables[v.v] = readType(r);
        if (r.isPunct('=')) {
          r.next();
          readValue(r);
        }
      }
      r.next();
    }
    operations.push({ kind, ...(name ? { name } : {}), variables, fields: readSelection(r) });
  }
  if (operations.length === 0) throw new GraphQLDocumentError('Syntax Error: Unexpected end of document');
  if (operationName) {
    const op = operations.find((o) => o.name === operationName);
    if (!op) throw new GraphQLDocumentError(`Unknown operation named "${operationName}".`);
    return op;
  }
  if (operations.length > 1) throw new GraphQLDocumentError('Must provide operation name if query contains multiple operations.');
  return operations[0]!;
}

/** An argument's value with variables substituted (undefined when neither given nor set). */
export function argumentValue(value: GraphQLValue | undefined, variables: Record<string, unknown>): unknown {
  if (value === undefined) return undefined;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return variables[value.$var];
  if (Array.isArray(value)) return value.map((v) => argumentValue(v, variables));
  return value;
}

/** Every variable an operation uses must be declared; required ones must be provided. */
export function checkVariables(op: OperationNode, variables: Record<string, unknown>): void {
  const used = new Set<string>();
  const visit = (v: GraphQLValue): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') used.add(v.$var);
  };
  const walk = (fields: FieldNode[]): void => {
    for (const f of fields) {
      Object.values(f.args).forEach(visit);
      if (f.selection) walk(f.selection);
    }
  };
  walk(op.fields);
  for (const name of used) {
    if (!(name in op.variables)) throw new GraphQLDocumentError(`Variable "$${name}" is not defined.`);
  }
  for (const [name, type] of Object.entries(op.variables)) {
    const value = variables[name];
    if (type.endsWith('!') && (value === undefined || value === null)) {
      throw new GraphQLDocumentError(`Variable "$${name}" of required type "${type}" was not provided.`);
    }
    if (value === undefined || value === null) continue;
    const base = type.replace(/!$/, '');
    const ok =
      base === 'Int' ? Number.isInteger(value) :
      base === 'Float' ? typeof value === 'number' :
      base === 'String' || base === 'ID' || base === 'DateTime' ? typeof value === 'string' || (base === 'ID' && typeof value === 'number') :
      base === 'Boolean' ? typeof value === 'boolean' :
      base.startsWith('[') ? Array.isArray(value) : true;
    if (!ok) throw new GraphQLDocumentError(`Variable "$${name}" got invalid value ${JSON.stringify(value)}; expected type "${base}".`);
  }
}

/** `value` cut down to `selection`, the way a GraphQL server serializes a field. */
export function project(value: unknown, selection: FieldNode[] | undefined, path: string): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((item) => project(item, selection, path));
  if (typeof value === 'object') {
    if (!selection) throw new GraphQLDocumentError(`Field "${path}" must have a selection of subfields.`);
    const out: Record<string, unknown> = {};
    for (const field of selection) {
      if (!(field.name in (value as Record<string, unknown>))) {
        throw new GraphQLDocumentError(`Cannot query field "${field.name}" on "${path}".`);
      }
      out[field.name] = project((value as Record<string, unknown>)[field.name], field.selection, field.name);
    }
    return out;
  }
  if (selection) throw new GraphQLDocumentError(`Field "${path}" must not have a selection since it has no subfields.`);
  return value;
}
