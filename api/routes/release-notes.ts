// Release notes and training material (M-4, "Opplæring"): the newest shown on Home, every one listed;
// handlers publish, change and withdraw them (audited, A-4).
import { createRoute, z } from '@hono/zod-openapi';
import type { Queryable } from '../../db/client';
import { requireAuth, requireHandler } from '../auth';
import type { AppDeps } from '../context';
import { assertMayReadCases } from '../kit/load-case';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { problems } from '../problem';
import { createRouter } from '../router';
import { IdParam, Instant, withdrawn } from './operational-messages';

const NoteKind = z.enum(['release_note', 'training']).openapi({ description: 'release_note: what changed in the portal; training: training material ("Opplæring")' });

interface NoteRow {
  id: string;
  kind: 'release_note' | 'training';
  title: string;
  body: string;
  link: string | null;
  published_at: Date;
  published_by: string;
  updated_at: Date;
  withdrawn_at: Date | null;
}

export const ReleaseNote = z
  .object({
    id: z.uuid().openapi({ description: 'The note' }),
    kind: NoteKind,
    title: z.string().openapi({ description: 'Headline' }),
    body: z.string().openapi({ description: 'The text' }),
    link: z.string().nullable().openapi({ description: 'Where the full material is (https), if anywhere' }),
    publishedAt: z.string().openapi({ format: 'date-time', description: 'Shown from this instant (planned ahead when in the future)' }),
    publishedBy: z.string().openapi({ description: 'The handler who published it' }),
    updatedAt: z.string().openapi({ format: 'date-time', description: 'When it was last changed' }),
    withdrawnAt: z.string().nullable().openapi({ format: 'date-time', description: 'Set when a handler withdrew it; it is then no longer shown' }),
  })
  .openapi('ReleaseNote');

export const presentNote = (r: NoteRow): z.infer<typeof ReleaseNote> => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  body: r.body,
  link: r.link,
  publishedAt: r.published_at.toISOString(),
  publishedBy: r.published_by,
  updatedAt: r.updated_at.toISOString(),
  withdrawnAt: r.withdrawn_at?.toISOString() ?? null,
});

const Link = z
  .url({ protocol: /^https$/, error: 'an https URL' })
  .max(2000)
  .openapi({ description: 'Where the full material is (https)' });

const CreateNoteBody = z
  .strictObject({
    kind: NoteKind,
    title: z.string().trim().min(1, 'required: a title').max(200).openapi({ description: 'Headline' }),
    body: z.string().trim().min(1, 'required: the text').max(20_000).openapi({ description: 'The text' }),
    link: Link.nullable().optional(),
    publishedAt: Instant.optional().openapi({ description: 'Shown from this instant (default now)' }),
  })
  .openapi('ReleaseNoteInput');

const PatchNoteBody = z
  .strictObject({
    kind: NoteKind.optional(),
    title: z.string().trim().min(1).max(200).optional().openapi({ description: 'Headline' }),
    body: z.string().trim().min(1).max(20_000).optional().openapi({ description: 'The text' }),
    link: Link.nullable().optional(),
    publishedAt: Instant.optional().openapi({ description: 'Shown from this instant' }),
  })
  .openapi('ReleaseNoteChange');

/** M-4.1: the newest shown notes of a kind. */
export async function newestNotes(sql: Queryable, kind: NoteRow['kind'] | undefined, limit: number, at = new Date()): Promise<NoteRow[]> {
  return sql<NoteRow[]>`
    SELECT * FROM release_notes WHERE withdrawn_at IS NULL AND published_at <= ${at} ${kind ? sql`AND kind = ${kind}` : sql``}
    ORDER BY published_at DESC, id LIMIT ${limit}`;
}

export function releaseNoteRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('/release-notes', requireAuth(deps));
  const secured = { security: [{ bearer: [] }], tags: ['Home'] };

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/release-notes',
      summary: 'Release notes and training material (M-4.1), newest first',
      request: {
        query: z.object({
          kind: NoteKind.optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ description: 'How many, 1–100' }),
        }),
      },
      responses: {
        200: jsonResponse(z.object({ items: z.array(ReleaseNote).openapi({ description: 'Notes shown now, newest first' }) }).openapi('ReleaseNotes'), 'The notes shown now'),
        ...problemResponses(400, 401, 403),
      },
    }),
    async (c) => {
      assertMayReadCases(c.get('user'));
      const q = c.req.valid('query');
      return c.json({ items: (await newestNotes(deps.sql, q.kind, q.limit)).map(presentNote) }, 200);
    },
  );

  return router;
}

export function handlerReleaseNoteRoutes(deps: AppDeps) {
  const router = createRouter();
  for (const path of ['/release-notes', '/release-notes/*']) router.use(path, requireAuth(deps), requireHandler);
  const secured = { security: [{ bearer: [] }], tags: ['Handler'] };

  const loadNote = async (id: string, sql: Queryable = deps.sql, lock = false) => {
    const [row] = await sql<NoteRow[]>`SELECT * FROM release_notes WHERE id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`;
    if (!row) throw problems.notFound(`Release note ${id}`);
    return row;
  };

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/release-notes',
      summary: 'Every release note and training item, withdrawn and planned ones too, newest first (M-4.2)',
      responses: {
        200: jsonResponse(z.object({ items: z.array(ReleaseNote).openapi({ description: 'Every note, newest first' }) }).openapi('ReleaseNoteList'), 'The notes'),
        ...problemResponses(401, 403),
      },
    }),
    async (c) => {
      const rows = await deps.sql<NoteRow[]>`SELECT * FROM release_notes ORDER BY published_at DESC, id LIMIT 1000`;
      return c.json({ items: rows.map(presentNote) }, 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/release-notes',
      summary: 'Publish a release note or training material (M-4.2), now or from publishedAt',
      request: { body: jsonBody(CreateNoteBody) },
      responses: { 201: jsonResponse(ReleaseNote, 'Published'), ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const publishedAt = b.publishedAt ? new Date(b.publishedAt) : new Date();
      const [row] = await deps.sql<NoteRow[]>`
        INSERT INTO release_notes (kind, title, body, link, published_at, published_by)
        VALUES (${b.kind}, ${b.title}, ${b.body}, ${b.link ?? null}, ${publishedAt}, ${c.get('user').username}) RETURNING *`;
      c.set('audit', { action: 'release_note.publish', detail: { id: row!.id, kind: b.kind, title: b.title } });
      return c.json(presentNote(row!), 201);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'patch',
      path: '/release-notes/{id}',
      summary: 'Change a release note or training item (M-4.2); a withdrawn one cannot change',
      request: { params: IdParam, body: jsonBody(PatchNoteBody) },
      responses: { 200: jsonResponse(ReleaseNote, 'Changed'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      c.set('audit', { action: 'release_note.change', detail: { id, fields: Object.keys(b) } });
      const row = await deps.sql.begin(async (tx) => {
        const cur = await loadNote(id, tx, true);
        if (cur.withdrawn_at) throw withdrawn(`Release note ${id}`, cur.withdrawn_at);
        const [updated] = await tx<NoteRow[]>`
          UPDATE release_notes SET kind = ${b.kind ?? cur.kind}, title = ${b.title ?? cur.title}, body = ${b.body ?? cur.body},
            link = ${b.link === undefined ? cur.link : b.link}, published_at = ${b.publishedAt ? new Date(b.publishedAt) : cur.published_at}, updated_at = now()
          WHERE id = ${id} RETURNING *`;
        return updated!;
      });
      return c.json(presentNote(row), 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'delete',
      path: '/release-notes/{id}',
      summary: 'Withdraw a release note or training item (M-4.2): no longer shown',
      request: { params: IdParam },
      responses: { 200: jsonResponse(ReleaseNote, 'Withdrawn'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      c.set('audit', { action: 'release_note.withdraw', detail: { id } });
      const [row] = await deps.sql<NoteRow[]>`
        UPDATE release_notes SET withdrawn_at = now(), withdrawn_by = ${c.get('user').username}, updated_at = now()
        WHERE id = ${id} AND withdrawn_at IS NULL RETURNING *`;
      if (!row) {
        const cur = await loadNote(id);
        throw withdrawn(`Release note ${id}`, cur.withdrawn_at ?? new Date());
      }
      return c.json(presentNote(row), 200);
    },
  );

  return router;
}
