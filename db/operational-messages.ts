// M-4: operational messages in force, for Home and for trouble tickets of the products and areas they cover.
import type { Sql } from './client';

export interface OperationalMessageRow {
  id: string;
  kind: 'fault' | 'planned_work';
  title: string;
  body: string;
  product_codes: string[];
  municipalities: string[];
  postcodes: string[];
  starts_at: Date;
  ends_at: Date | null;
  published_by: string;
  published_at: Date;
  updated_at: Date;
  withdrawn_at: Date | null;
}

/** Messages whose window contains `at`, not withdrawn; with a product or place, only those covering it (empty lists cover all). */
export async function messagesInForce(sql: Sql, scope: { at?: Date; productCode?: string; municipality?: string; postcode?: string } = {}): Promise<OperationalMessageRow[]> {
  const at = scope.at ?? new Date();
  return sql<OperationalMessageRow[]>`
    SELECT * FROM operational_messages
    WHERE withdrawn_at IS NULL AND starts_at <= ${at} AND (ends_at IS NULL OR ends_at > ${at})
      AND (${scope.productCode ?? null}::text IS NULL OR product_codes = '{}' OR ${scope.productCode ?? null}::text = ANY (product_codes))
      AND (${scope.municipality ?? null}::text IS NULL OR municipalities = '{}' OR ${scope.municipality ?? null}::text = ANY (municipalities))
      AND (${scope.postcode ?? null}::text IS NULL OR postcodes = '{}' OR ${scope.postcode ?? null}::text = ANY (postcodes))
    ORDER BY starts_at DESC, id`;
}
