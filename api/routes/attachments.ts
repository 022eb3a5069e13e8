// G-4: upload an attachment once, then refer to it by id from a case of the same company.
import { createRoute, z } from '@hono/zod-openapi';
import { AttachmentRef } from '../../domain/case';
import { contentDisposition, MAX_ATTACHMENT_BYTES } from '../attachments';
import { assertCanOrder, requireAuth } from '../auth';
import type { AppDeps } from '../context';
import { tenantOf } from '../kit/load-case';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { problems } from '../problem';
import { createRouter } from '../router';

export const UploadBody = z
  .strictObject({
    filename: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .regex(/^[^/\\]+$/, 'a file name without folders'),
    contentType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'a MIME type such as application/pdf'),
    contentBase64: z
      .base64()
      .min(1)
      .max(Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4, 'at most 5 MiB'),
  })
  .openapi('AttachmentUpload');

export function attachmentRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('*', requireAuth(deps));
  const secured = { security: [{ bearer: [] }], tags: ['Attachments'] };

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/',
      summary: 'Upload a map, floor plan or form (G-4)',
      request: { body: jsonBody(UploadBody) },
      responses: { 201: jsonResponse(AttachmentRef, 'Stored'), ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const user = c.get('user');
      assertCanOrder(user);
      const body = c.req.valid('json');
      const data = Buffer.from(body.contentBase64, 'base64');
      const [row] = await deps.sql<{ id: string }[]>`
      INSERT INTO attachments (company_id, filename, content_type, size_bytes, data, uploaded_by)
      VALUES (${user.companyId!}, ${body.filename}, ${body.contentType}, ${data.length}, ${data}, ${user.username}) RETURNING id`;
      c.set('audit', { action: 'attachment.upload', detail: { attachmentId: row!.id, filename: body.filename } });
      return c.json({ id: row!.id, filename: body.filename, contentType: body.contentType, sizeBytes: data.length }, 201);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/{id}',
      summary: 'Download an attachment',
      request: { params: z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) }) },
      responses: { 200: { description: 'The file', content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      // the tenancy of cases (A-1, A-2, A-6): ops 403; another company's attachment is a missing one, and so is a deleted one (G-4)
      const tenant = tenantOf(c.get('user'));
      const [row] = await deps.sql<{ company_id: string; filename: string; content_type: string; data: Buffer }[]>`
      SELECT company_id, filename, content_type, data FROM attachments WHERE id = ${c.req.valid('param').id} AND deleted_at IS NULL
      ${tenant === null ? deps.sql`` : deps.sql`AND company_id = ${tenant}`}`;
      if (!row) throw problems.notFound('Attachment');
      return c.body(new Uint8Array(row.data), 200, {
        'Content-Type': row.content_type,
        'Content-Disposition': contentDisposition(row.filename),
      });
    },
  );

  return router;
}
