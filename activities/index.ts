// Every activity the worker registers, built from its dependencies.
import type { Adapters } from '../adapters';
import type { Sql } from '../db/client';
import { createProjectionActivities } from './projection';
import { createOrderActivities } from './orders';
import { createLineReportActivities } from './line-reports';
import { createQuoteActivities } from './quotes';
import { createPortfolioActivities } from './portfolio';

export interface ActivityDeps {
  sql: Sql;
  adapters: Adapters;
  /** where e-mail links point */ publicBaseUrl?: string;
  /** issue 15: the frontend's case URL template (FRONTEND_CASE_URL_TEMPLATE); unset → publicBaseUrl + /app/{type}/{number} */ caseUrlTemplate?: string;
}

export function createActivities(deps: ActivityDeps) {
  const projection = createProjectionActivities(deps);
  return {
    ...projection,
    ...createLineReportActivities(projection.projectCase),
    ...createQuoteActivities(deps.adapters),
    ...createOrderActivities(deps),
    ...createPortfolioActivities(deps.sql, deps.adapters),
  };
}
