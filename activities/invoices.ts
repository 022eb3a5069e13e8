// M-3.1: the invoice run's activity: fetch the company's invoice for a closed period from the
// billing system (X-7) and store it with its lines in one transaction. Idempotent: the first stored
// invoice of a company and period wins (a retry after a lost reply or a second run stores nothing).
import { BillingSimulator, type Adapters } from '../adapters';
import { pgBillingSource } from '../db/billing-source';
import type { Sql } from '../db/client';
import type { Period } from '../domain/invoice';
import { SYSTEM_ACTOR } from '../domain/identity';

export interface ImportInvoiceResult {
  /** The invoice number, or null when the billing system had nothing to bill. */
  number: string | null;
  /** False when the invoice was already stored (an earlier attempt or run). */
  stored: boolean;
  totalOre: number | null;
}

export function createInvoiceActivities(sql: Sql, adapters: Adapters) {
  // the simulated billing system bills from this system's own records (db/billing-source.ts)
  if (adapters.billing instanceof BillingSimulator && !adapters.billing.hasSource) adapters.billing.useSource(pgBillingSource(sql));
  return {
    /** The companies the wholesaler invoices (M-3.1). */
    async resellerCompanyIds(): Promise<string[]> {
      return (await sql<{ id: string }[]>`SELECT id FROM companies WHERE kind = 'reseller' ORDER BY id`).map((r) => r.id);
    },

    async importInvoice(input: { companyId: string; period: Period; runId: string }): Promise<ImportInvoiceResult> {
      const invoice = await adapters.billing.invoice({ companyId: input.companyId, period: input.period });
      if (!invoice) return { number: null, stored: false, totalOre: null };
      return sql.begin(async (tx) => {
        const inserted = await tx`
          INSERT INTO invoices (number, company_id, period, issue_date, due_date, currency, net_ore, vat_ore, total_ore, vat_rate_pct, imported_by)
          VALUES (${invoice.number}, ${invoice.companyId}, ${invoice.period}, ${invoice.issueDate}, ${invoice.dueDate}, ${invoice.currency},
                  ${invoice.netOre}, ${invoice.vatOre}, ${invoice.totalOre}, ${invoice.vatRatePct}, ${input.runId})
          ON CONFLICT DO NOTHING RETURNING number`;
        if (inserted.length === 0) return { number: invoice.number, stored: false, totalOre: invoice.totalOre };
        for (const l of invoice.lines) {
          await tx`
            INSERT INTO invoice_lines (invoice_number, line_no, kind, description, product_code, product_number, order_line, from_date, to_date, days, unit_ore, amount_ore)
            VALUES (${invoice.number}, ${l.lineNo}, ${l.kind}, ${l.description}, ${l.productCode}, ${l.productNumber}, ${l.orderLine}, ${l.fromDate}, ${l.toDate}, ${l.days}, ${l.unitOre}, ${l.amountOre})`;
        }
        await tx`
          INSERT INTO audit_log (username, company_id, action, outcome, detail, dedupe_key)
          VALUES (${SYSTEM_ACTOR.username}, ${invoice.companyId}, 'invoice.imported', 'accepted',
                  ${tx.json({ invoice: invoice.number, period: invoice.period, totalOre: invoice.totalOre, run: input.runId })}, ${`invoice-imported:${invoice.number}`})
          ON CONFLICT (dedupe_key) DO NOTHING`;
        return { number: invoice.number, stored: true, totalOre: invoice.totalOre };
      });
    },
  };
}

export type InvoiceActivities = ReturnType<typeof createInvoiceActivities>;
