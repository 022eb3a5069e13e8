// RFC 9457 problem details: every refusal names a stable code and, for input, each field path.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { z } from '@hono/zod-openapi';

/** Machine-readable problem codes per field, as MEF LSO Sonata / TM Forum APIs name them. */
export const FieldProblemCode = z.enum(['missing_property', 'invalid_value', 'invalid_format', 'unexpected_property', 'reference_not_found', 'too_many_records', 'rule_violation']);
export type FieldProblemCode = z.infer<typeof FieldProblemCode>;

export const FieldProblemSchema = z
  .object({
    field: z.string().openapi({ example: 'body.reference.value' }),
    code: FieldProblemCode,
    message: z.string(),
    rule: z.string().optional().openapi({ description: 'Rulebook ID, e.g. S-5' }),
  })
  .openapi('FieldProblem');
export type FieldProblem = z.infer<typeof FieldProblemSchema>;

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: '/problems/validation_failed' }),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    rule: z.string().optional(),
    errors: z.array(FieldProblemSchema).optional(),
  })
  .catchall(z.unknown())
  .openapi('Problem');
export type Problem = z.infer<typeof ProblemSchema>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Thrown anywhere in a request; the root onError renders it. */
export class HttpProblem extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    readonly title: string,
    readonly extra: { detail?: string; rule?: string; errors?: FieldProblem[]; [key: string]: unknown } = {},
  ) {
    super(extra.detail ?? title);
  }
}

export function problemBody(c: Context, p: HttpProblem): Problem {
  return { type: `/problems/${p.code}`, title: p.title, status: p.status, code: p.code, instance: c.req.path, ...p.extra };
}

export function renderProblem(c: Context, p: HttpProblem): Response {
  return c.body(JSON.stringify(problemBody(c, p)), p.status, { 'Content-Type': PROBLEM_CONTENT_TYPE });
}

export const problems = {
  validation: (errors: FieldProblem[], detail = 'The request has invalid fields; see errors.') => new HttpProblem(400, 'validation_failed', 'Invalid request', { detail, errors }),
  unauthenticated: (detail: string) => new HttpProblem(401, 'unauthenticated', 'Not logged in', { detail }),
  forbidden: (detail: string, rule?: string) => new HttpProblem(403, 'forbidden', 'Not allowed for this user', { detail, ...(rule ? { rule } : {}) }),
  notFound: (what: string) => new HttpProblem(404, 'not_found', 'Not found', { detail: `${what} was not found` }),
  conflict: (code: string, detail: string, extra: Record<string, unknown> = {}) => new HttpProblem(409, code, 'Conflict with the current state', { detail, ...extra }),
  unprocessable: (code: string, detail: string, extra: Record<string, unknown> = {}) => new HttpProblem(422, code, 'Refused by a business rule', { detail, ...extra }),
  unavailable: (detail: string) => new HttpProblem(503, 'service_unavailable', 'Temporarily unavailable', { detail }),
  /** The body cannot be read as JSON (Hono's validators throw HTTPException 400). */
  unreadableBody: (detail: string) => problems.validation([{ field: 'body', code: 'invalid_format', message: 'is not valid JSON' }], detail),
  unsupportedMediaType: (got: string | undefined) =>
    new HttpProblem(415, 'unsupported_media_type', 'Unsupported media type', {
      detail: got ? `The body was sent as ${got.slice(0, 100)}; send it as application/json` : 'The body has no Content-Type; send it as application/json',
      errors: [{ field: 'body', code: 'invalid_format', message: 'must be sent with Content-Type: application/json' }],
    }),
  tooLarge: (maxBytes: number) =>
    new HttpProblem(413, 'payload_too_large', 'Request body too large', {
      detail: `The body is larger than ${maxBytes} bytes and was not read`,
      errors: [{ field: 'body', code: 'invalid_value', message: `must be at most ${maxBytes} bytes` }],
    }),
};

/**
 * PostgreSQL refused the data (22xxx data exceptions, 23xxx integrity violations): the request
 * asked for something impossible, so answer 400 or 409 rather than 500; a statement past its time-out
 * (57014) is 503. Returns undefined for any other error. A unique violation (23505) is a conflict
 * with an existing record.
 */
export function databaseProblem(err: unknown, method: string): HttpProblem | undefined {
  if ((err as { name?: unknown }).name !== 'PostgresError') return undefined;
  const code = String((err as { code?: unknown }).code ?? '');
  // a GET has no body: a value the database refused came from the query
  const field = method === 'GET' ? 'query' : 'body';
  // the query ran past its pool's statement_timeout (db/client.ts): the database is overloaded or the
  // query needs an index — temporary for the caller (503, try again), loud in the log for ops
  if (code === '57014') return new HttpProblem(503, 'query_timeout', 'Temporarily unavailable', { detail: 'The database did not answer in time; try again shortly' });
  if (code === '23505') return problems.conflict('duplicate', 'This would duplicate an existing record');
  if (code === '23502' || code === '23514') return problems.validation([{ field, code: 'invalid_value', message: 'is not a value this field can hold' }]);
  if (code.startsWith('23')) return problems.conflict('integrity_conflict', 'This conflicts with related records');
  if (code.startsWith('22')) return problems.validation([{ field, code: 'invalid_value', message: 'is out of the range this field can hold' }]);
  return undefined;
}

const TARGET_NAMES: Record<string, string> = { json: 'body', form: 'body', param: 'path', query: 'query', header: 'header', cookie: 'cookie' };

/** Whether the property at `path` is absent from the input (rather than present and wrong). */
function isAbsent(input: unknown, path: readonly PropertyKey[]): boolean {
  let node: unknown = input;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !(key in node)) return true;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node === undefined;
}

/** zod issues → field problems with the request part in the path (`body.reference.value`). */
export function zodFieldProblems(error: ZodError, target: string, input?: unknown): FieldProblem[] {
  const out: FieldProblem[] = [];
  const prefix = TARGET_NAMES[target] ?? target;
  for (const issue of error.issues) {
    const base = [prefix, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ field: [...base, key].join('.'), code: 'unexpected_property', message: 'is not a known property' });
      continue;
    }
    const missing = (issue.code === 'invalid_type' || issue.code === 'invalid_value') && isAbsent(input, issue.path);
    const code: FieldProblemCode = missing
      ? 'missing_property'
      : issue.code === 'invalid_format'
        ? 'invalid_format'
        : issue.code === 'too_big' && issue.origin === 'array'
          ? 'too_many_records'
          : 'invalid_value';
    const rule = issue.code === 'custom' && typeof issue.params?.rule === 'string' ? issue.params.rule : undefined;
    out.push({ field: base.join('.'), code, message: missing ? 'is required' : issue.message, ...(rule ? { rule } : {}) });
  }
  return out;
}
