// Every activity the worker registers, built from its dependencies.
import type { Adapters } from '../adapters';
import type { Sql } from '../db/client';
import { createProjectionActivities } from './projection';

export interface ActivityDeps { sql: Sql; adapters: Adapters }

export function createActivities(deps: ActivityDeps) {
  return {
    ...createProjectionActivities(deps.sql),
  };
}
