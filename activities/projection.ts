// Activities that publish workflow state to PostgreSQL. Idempotent: retries and replays
// write nothing twice (version guard on the read model, dedupe keys on audit rows, events and
// outboxes). A status change writes its event, e-mails and webhook deliveries in the same
// transaction, so none is lost and none is sent for a change that did not happen.
import { upsertCase } from '../db/cases';
import type { Sql } from '../db/client';
import type { CaseProjection } from '../domain/case';
import { SYSTEM_ACTOR } from '../domain/identity';
import { type NotificationSettings, recordStatusChange } from '../notifications/outbox';
import { compileTemplates } from '../notifications/render';

export interface ProjectionDeps {
  sql: Sql;
  publicBaseUrl?: string;
  caseUrlTemplate?: string;
}

export function createProjectionActivities(deps: ProjectionDeps) {
  const { sql } = deps;
  // compiled once when the worker starts; every e-mail is a fill of the compiled template
  const notifications: NotificationSettings = {
    templates: compileTemplates(),
    // a frontend's case URL template, else the app path on the API's own host (notifications/render.ts)
    baseUrl: deps.caseUrlTemplate ?? deps.publicBaseUrl ?? 'http://127.0.0.1:3000',
  };
  notifications.templates.catch(() => {}); // reported when first awaited
  return {
    async projectCase(projection: CaseProjection): Promise<void> {
      await sql.begin(async (tx) => {
        const [before] = await tx<{ status: string; version: number }[]>`
          SELECT status, version FROM cases WHERE case_id = ${projection.caseId} FOR UPDATE`;
        const applied = await upsertCase(tx, projection);
        if (!applied) return;
        if (before && before.status !== projection.status) await recordStatusChange(tx, before.status, projection, notifications);
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
