// One date schema for every date in a query or body: an ISO calendar date (2026-02-30 is refused)
// within years PostgreSQL and the rules can work with, so an extreme date is a 400 naming the
// field rather than a database error (0000-01-01 is no date to PostgreSQL).
import { z } from '@hono/zod-openapi';

export const MIN_DATE = '1900-01-01';
export const MAX_DATE = '2999-12-31';

/** `YYYY-MM-DD`, a real calendar date, 1900-01-01 … 2999-12-31. */
export const IsoDate = z.iso
  .date({ message: 'a date like 2026-05-04 (YYYY-MM-DD, a real calendar date)', abort: true })
  .refine((d) => d >= MIN_DATE && d <= MAX_DATE, `a date between ${MIN_DATE} and ${MAX_DATE}`)
  .openapi({ format: 'date', example: '2026-05-04', description: `A calendar date, ${MIN_DATE} … ${MAX_DATE}` });
