// Every activity the worker registers, built from its dependencies.
import type { Adapters } from '../adapters';
import type { Sql } from '../db/client';
import { createProjectionActivities } from './projection';
import { createOrderActivities } from './orders';
import { createLineReportActivities } from './line-reports';
import { createQuoteActivities } from './quotes';
import { createPortfolioActivities } from './portfolio';
import { createInvoiceActivities } from './invoices';

export interface ActivityDeps {
  sql: Sql;
  adapters: Adapters;
  /** where e-mail links point */ publicBaseUrl?: string;
}

export function createActivities(deps: ActivityDeps) {
  const projection = createProjectionActivities(deps);
  return {
    ...projection,
    ...createLineReportActivities(projection.projectCase),
    ...createQuoteActivities(deps.adapters),
    ...createOrderActivities(deps),
    ...createPortfolioActivities(deps.sql, deps.adapters),
    ...createInvoiceActivities(deps.sql, deps.adapters),
  };
}
