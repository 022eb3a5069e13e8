// The route table, read from the API's own OpenAPI document, so a new route is never forgotten
// by the security matrix or the bad-input run.
import type { Stack } from './stack';

export interface RouteInfo {
  method: string;
  path: string;
  hasBody: boolean;
  queryParams: string[];
  pathParams: string[];
  public: boolean;
  /** A value of each path parameter that passes its schema (its example), so a request reaches the body and query checks. */
  examplePath: string;
  /** Every date input: query parameters by name, body fields by path (`endUser.birthDate`). */
  dateInputs: DateInput[];
}

export interface DateInput {
  in: 'query' | 'body';
  /** The field path an answer must name: `query.createdFrom`, `body.lines.0.requestedDate`. */
  field: string;
  /** The query parameter, or a body holding `value` at the field (with the constants that select a union branch). */
  build: (value: string) => unknown;
}

interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  example?: unknown;
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
}
interface Parameter {
  in: string;
  name: string;
  schema?: Schema;
}
interface Operation {
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  parameters?: Parameter[];
  security?: unknown[];
}
export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export async function routeTable(stack: Stack): Promise<RouteInfo[]> {
  const doc = (await stack.api('GET', '/openapi.json')).body as OpenApiDoc;
  const resolve = (s: Schema): Schema => (s.$ref ? resolve(doc.components?.schemas?.[s.$ref.replace('#/components/schemas/', '')] ?? {}) : s);
  const routes: RouteInfo[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    if (!path.startsWith('/v1/')) continue;
    for (const [method, op] of Object.entries(ops)) {
      const params = op.parameters ?? [];
      const examples = Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, exampleOf(resolve(p.schema ?? {}))]));
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      routes.push({
        method: method.toUpperCase(),
        path,
        hasBody: Boolean(op.requestBody),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        public: path === '/v1/auth/login' || path === '/v1/auth/password-reset',
        examplePath: fillPath(path, examples),
        dateInputs: [
          ...params.filter((p) => p.in === 'query' && isDate(resolve(p.schema ?? {}), resolve)).map((p): DateInput => ({ in: 'query', field: `query.${p.name}`, build: (v) => v })),
          ...(bodySchema ? dateFields(bodySchema, resolve, 0).map((f): DateInput => ({ in: 'body', field: ['body', ...f.path].join('.'), build: f.build })) : []),
        ],
      });
    }
  }
  return routes;
}

export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? 'x'));
}

function exampleOf(s: Schema): string {
  if (s.example !== undefined) return String(s.example);
  if (s.enum?.length) return String(s.enum[0]);
  if (s.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
  if (s.type === 'integer' || s.type === 'number') return '1';
  return 'x';
}

function isDate(s: Schema, resolve: (s: Schema) => Schema): boolean {
  return s.format === 'date' || [...(s.anyOf ?? []), ...(s.oneOf ?? [])].some((b) => isDate(resolve(b), resolve));
}

type Field = { path: (string | number)[]; build: (value: string) => unknown };

/** Date fields of a body schema, each with a builder that places a value there (and the constants of its union branch). */
function dateFields(schema: Schema, resolve: (s: Schema) => Schema, depth: number): Field[] {
  const s = resolve(schema);
  if (depth > 8) return [];
  if (s.format === 'date') return [{ path: [], build: (v) => v }];
  const out: Field[] = [];
  for (const branch of [...(s.oneOf ?? []), ...(s.anyOf ?? []), ...(s.allOf ?? [])]) out.push(...dateFields(branch, resolve, depth + 1));
  if (s.items) for (const f of dateFields(s.items, resolve, depth + 1)) out.push({ path: [0, ...f.path], build: (v) => [f.build(v)] });
  if (s.properties) {
    // a discriminated union's branch is chosen by its constant properties (`kind: 'person'`)
    const constants = Object.fromEntries(
      Object.entries(s.properties)
        .map(([k, p]) => [k, resolve(p)] as const)
        .filter(([, p]) => p.const !== undefined || p.enum?.length === 1)
        .map(([k, p]) => [k, p.const ?? p.enum![0]]),
    );
    for (const [name, prop] of Object.entries(s.properties)) {
      for (const f of dateFields(prop, resolve, depth + 1)) out.push({ path: [name, ...f.path], build: (v) => ({ ...constants, [name]: f.build(v) }) });
    }
  }
  return out;
}
