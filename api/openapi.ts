// Small helpers so route declarations stay one screen long.
import type { z } from '@hono/zod-openapi';
import { PROBLEM_CONTENT_TYPE, ProblemSchema } from './problem';

export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return { content: { 'application/json': { schema } }, required: true, ...(description ? { description } : {}) } as const;
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description } as const;
}

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: every failing field is listed in errors',
  401: 'Not logged in, or the session was idle for 30 minutes (A-5)',
  403: "The user's role or access type does not allow this (A-2, A-3)",
  404: "No such case for this user (another company's cases are not found, A-1)",
  409: 'Not allowed in the current status; the body says the status and what is allowed now',
  413: 'The body is larger than the limit (256 KiB; an attachment upload: 5 MiB as base64) and was not read',
  415: 'The body is not sent as application/json',
  422: 'Refused by a business rule named in the body',
  429: 'Too many attempts; see Retry-After',
  503: 'A backing service is unavailable; try again',
};

type ProblemResponse = { content: { 'application/problem+json': { schema: typeof ProblemSchema } }; description: string };

export function problemResponses<S extends number>(...statuses: S[]): Record<S, ProblemResponse> {
  const out = {} as Record<S, ProblemResponse>;
  for (const s of statuses) out[s] = { content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } }, description: PROBLEM_DESCRIPTIONS[s] ?? 'Problem' } as ProblemResponse;
  return out;
}
