// Every router is made here, so each gets the same validation hook (a defaultHook set on the
// root app does not reach routers mounted with .route(): honojs/middleware#323).
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './context';
import { problems, renderProblem, zodFieldProblems } from './problem';

export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return renderProblem(c, problems.validation(zodFieldProblems(result.error, result.target, (result as { data?: unknown }).data)));
    },
  });
}
