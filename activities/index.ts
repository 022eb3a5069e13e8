// Every activity the worker registers, built from its dependencies.
import type { Adapters } from '../adapters';
import type { Sql } from '../db/client';
import { createProjectionActivities } from './projection';
import { createOrderActivities } from './orders';
import { createLineReportActivities } from './line-reports';
import { createQuoteActivities } from './quotes';
import { createPortfolioActivities } from './portfolio';
import { createNumberActivities } from './numbers';
import { createTroubleTicketActivities } from './trouble-tickets';
import { createUserAdminActivities } from './user-admin';
import { createInvoiceActivities } from './invoices';

export interface ActivityDeps {
  sql: Sql;
  adapters: Adapters;
  /** where e-mail links point */ publicBaseUrl?: string;
  /** issue 15: the frontend's case URL template (FRONTEND_CASE_URL_TEMPLATE); unset → publicBaseUrl + /app/#/{type}/{number} */ caseUrlTemplate?: string;
}

export function createActivities(deps: ActivityDeps) {
  const projection = createProjectionActivities(deps);
  return {
    ...projection,
    ...createLineReportActivities(projection.projectCase),
    ...createQuoteActivities(deps.adapters),
    ...createOrderActivities(deps),
    ...createPortfolioActivities(deps.sql, deps.adapters),
    ...createNumberActivities(deps.adapters),
    ...createTroubleTicketActivities(deps),
    ...createUserAdminActivities(deps),
    ...createInvoiceActivities(deps.sql, deps.adapters),
  };
}
