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
}

export async function routeTable(stack: Stack): Promise<RouteInfo[]> {
  const doc = (await stack.api('GET', '/openapi.json')).body as {
    paths: Record<string, Record<string, { requestBody?: unknown; parameters?: { in: string; name: string }[]; security?: unknown[] }>>;
  };
  const routes: RouteInfo[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    if (!path.startsWith('/v1/')) continue;
    for (const [method, op] of Object.entries(ops)) {
      routes.push({
        method: method.toUpperCase(),
        path,
        hasBody: Boolean(op.requestBody),
        queryParams: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        public: path === '/v1/auth/login' || path === '/v1/auth/password-reset',
      });
    }
  }
  return routes;
}

export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? 'x'));
}
