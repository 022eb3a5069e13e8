// Activities that publish workflow state to PostgreSQL. Idempotent: retries and replays
// write nothing twice (version guard on the read model, dedupe key on audit rows).
import { upsertCase } from '../db/cases';
import type { Sql } from '../db/client';
import type { CaseProjection } from '../domain/case';
import { SYSTEM_ACTOR } from '../domain/identity';

export function createProjectionActivities(sql: Sql) {
  return {
    async projectCase(projection: CaseProjection): Promise<void> {
      await sql.begin(async (tx) => {
        await upsertCase(tx, projection);
        // A-4: changes nobody requested through the API (timers) are audited here, once per version
        if (projection.updatedBy === SYSTEM_ACTOR.username) {
          await tx`INSERT INTO audit_log (username, company_id, case_id, action, outcome, detail, dedupe_key)
                   VALUES (${SYSTEM_ACTOR.username}, ${projection.companyId}, ${projection.caseId}, ${`status → ${projection.status}`}, 'accepted',
                           ${tx.json({ version: projection.version })}, ${`${projection.caseId}@${projection.version}`})
                   ON CONFLICT (dedupe_key) DO NOTHING`;
        }
      });
    },
  };
}

export type ProjectionActivities = ReturnType<typeof createProjectionActivities>;
