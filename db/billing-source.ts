// the month's provisioning records the simulated billing system bills from — the portfolio
// (products held, M-1) and the order lines' read model (finished deliveries, cancellations with the
// charge the user accepted, C-3). A real billing system keeps its own; the simulator reads ours.
import type { BillableFacts, BillingSource } from '../adapters/billing';
import { type Period, periodEnd, periodStart } from '../domain/invoice';
import { osloDate } from '../domain/time';
import type { Queryable } from './client';

interface LineDetail {
  productCode: string;
  productName: string;
  speedMbps: number | null;
  line?: { price?: { establishmentOre: number } | null };
  activity?: Array<{ at: string; toStatus: string }>;
  cancellation?: { at: string; feeOre: number } | null;
}

export function pgBillingSource(sql: Queryable): BillingSource {
  return {
    async factsFor(companyId: string, period: Period): Promise<BillableFacts> {
      const from = periodStart(period);
      const to = periodEnd(period);
      const products = await sql<{ number: string; product_code: string; product_name: string; speed_mbps: number | null; start_date: string; end_date: string | null }[]>`
        SELECT number, product_code, product_name, speed_mbps, start_date::text AS start_date, end_date::text AS end_date
        FROM portfolio_products
        WHERE company_id = ${companyId} AND start_date <= ${to}::date AND (end_date IS NULL OR end_date > ${from}::date)`;
      const lines = await sql<{ number: string; status: string; detail: LineDetail }[]>`
        SELECT number, status, detail FROM cases
        WHERE case_type = 'order_line' AND company_id = ${companyId} AND status IN ('Finished', 'Closed', 'Cancelled')
          AND updated_at >= ${from}::date - interval '1 day'`;
      const inPeriod = (at: string) => {
        const day = osloDate(new Date(at));
        return day >= from && day <= to ? day : undefined;
      };
      const facts: BillableFacts = {
        products: products.map((p) => ({ number: p.number, productCode: p.product_code, productName: p.product_name, speedMbps: p.speed_mbps, startDate: p.start_date, endDate: p.end_date })),
        deliveries: [],
        cancellations: [],
      };
      for (const l of lines) {
        const d = l.detail;
        const finished = d.activity?.find((a) => a.toStatus === 'Finished');
        const finishedOn = finished ? inPeriod(finished.at) : undefined;
        if (finishedOn) {
          facts.deliveries.push({
            orderLine: l.number,
            productCode: d.productCode,
            productName: d.productName,
            speedMbps: d.speedMbps ?? null,
            finishedOn,
            agreedEstablishmentOre: d.line?.price?.establishmentOre ?? null,
          });
        }
        const cancelledOn = l.status === 'Cancelled' && d.cancellation && d.cancellation.feeOre > 0 ? inPeriod(d.cancellation.at) : undefined;
        if (cancelledOn && d.cancellation) {
          facts.cancellations.push({ orderLine: l.number, productCode: d.productCode, productName: d.productName, cancelledOn, feeOre: d.cancellation.feeOre });
        }
      }
      return facts;
    },
  };
}
