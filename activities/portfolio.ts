// Activities of the portfolio (M-1), switch-ISP (I-1…I-7) and termination (T-1…T-3) workflows:
// the order system, the appointment system and the portfolio table. Idempotent: every
// external write carries a key derived from the workflow ID, every portfolio write is keyed by the
// case, so a retry after a lost reply or a replay changes nothing twice. AdapterRejectedError is a
// business "no" (non-retryable in the workflows' options); time-outs and outages are retried.
import type { Adapters, Booking, Registration, SwitchRegistrationInput } from '../adapters';
import type { Sql } from '../db/client';
import { PRODUCT_CATALOG } from '../adapters/price-list';
import { addToPortfolio as insertEntry, applyPortfolioChange, endEntry } from '../db/portfolio';
import type { PortfolioChange } from '../domain/modify-order';
import type { NewPortfolioEntry, PortfolioEndUser, PortfolioEntry } from '../domain/portfolio';
import { type IsoDate, osloDate } from '../domain/time';

export interface ExecuteSwitchInput {
  caseId: string;
  companyId: string;
  companyName: string;
  losingEntryId: string;
  lineId: string;
  number: string;
  numberKind: 'phone' | 'circuit';
  losingOperator: string;
  newProductCode: string;
  /** null for SHDSL (no access type, slide 65). */
  accessType: 'shared' | 'full' | null;
  speedMbps: number | null;
  address: { id: string; label: string };
  endUser: PortfolioEndUser;
  date: IsoDate;
}

export interface ExecuteTerminationInput {
  caseId: string;
  products: { entryId: string; number: string }[];
  date: IsoDate;
}

export function createPortfolioActivities(sql: Sql, adapters: Adapters) {
  return {
    /**
     * M-1: a delivered product enters the company's portfolio (for the order-line workflow when a
     * line reaches Finished). Idempotent per `sourceCaseId`.
     */
    /** M-1: an order line reached Finished (F): the product joins the company's portfolio (once per line). */
    async addDeliveredProduct(entry: Omit<NewPortfolioEntry, 'accessType'>): Promise<PortfolioEntry> {
      const [company] = await sql<{ name: string }[]>`SELECT name FROM companies WHERE id = ${entry.companyId}`;
      if (!company) throw new Error(`no company ${entry.companyId}`);
      const accessType = PRODUCT_CATALOG.get(entry.productCode)?.accessType ?? null;
      return insertEntry(sql, { ...entry, accessType, operator: company.name });
    },

    /**
     * M-1, O-13: a change order line (speed, equipment, move) reached Finished (F): its product's
     * entry ends on the date and the successor starts, in one transaction, once per line (keyed by
     * the line's case ID). PortfolioConflictError (the product ended meanwhile) is not retried.
     */
    async applyModification(change: PortfolioChange): Promise<PortfolioEntry> {
      return sql.begin((tx) => applyPortfolioChange(tx, change));
    },

    async addToPortfolio(entry: NewPortfolioEntry): Promise<PortfolioEntry> {
      const [company] = await sql<{ name: string }[]>`SELECT name FROM companies WHERE id = ${entry.companyId}`;
      if (!company) throw new Error(`no company ${entry.companyId}`);
      return insertEntry(sql, { ...entry, operator: company.name });
    },

    /** I-6 / O-12: the technician visit on the switch date; key = the workflow ID. */
    /** I-6: the technician with the AEG work ordered with the visit, sent to the appointment system. */
    async bookSwitchTechnician(input: { slotId: string; reference: string; idempotencyKey: string; aegServices?: string[] }): Promise<Booking> {
      return adapters.appointments.book(input);
    },

    /** I-3…I-5: a switch-ISP order registered at submit; the order system checks the losing operator and the authorisation now. */
    async registerSwitchOrder(input: Omit<SwitchRegistrationInput, 'today'>): Promise<Registration> {
      return adapters.orders.registerSwitch({ ...input, today: osloDate(new Date()) });
    },

    /** T-1 / T-2: a termination order registered at submit (Customer Order Id, Agreed Date). */
    async registerTerminationOrder(input: { idempotencyKey: string; numbers: string[]; requestedDate: IsoDate }): Promise<Registration> {
      return adapters.orders.registerTermination({ ...input, today: osloDate(new Date()) });
    },
    /** I-5 / T-2: a registered switch's or termination's new date, agreed by the order system. */
    async changePortfolioOrderDate(input: { idempotencyKey: string; customerOrderId: string; requestedDate: IsoDate }): Promise<Registration> {
      return adapters.orders.changeOrderDate({ ...input, today: osloDate(new Date()) });
    },
    async rescheduleSwitchTechnician(input: { bookingId: string; slotId: string; idempotencyKey: string }): Promise<Booking> {
      return adapters.appointments.reschedule(input);
    },
    async cancelSwitchTechnician(input: { bookingId: string }): Promise<Booking> {
      return adapters.appointments.cancel(input.bookingId);
    },

    /**
     * I-1 / I-3: carry the switch out in the order system (key = workflow ID), then move the
     * portfolio: the losing operator's entry ends on the date, the new company's starts on it.
     */
    async executeSwitchIsp(input: ExecuteSwitchInput): Promise<{ switchId: string; portfolioEntryId: string }> {
      const { switchId } = await adapters.orders.executeSwitch({
        idempotencyKey: input.caseId,
        number: input.number,
        fromOperator: input.losingOperator,
        toCompany: input.companyName,
        date: input.date,
      });
      const entry = await sql.begin(async (tx) => {
        await endEntry(tx, input.losingEntryId, input.date, input.caseId);
        return insertEntry(tx, {
          sourceCaseId: input.caseId,
          companyId: input.companyId,
          operator: input.companyName,
          lineId: input.lineId,
          number: input.number,
          numberKind: input.numberKind,
          productCode: input.newProductCode,
          accessType: input.accessType,
          speedMbps: input.speedMbps,
          addressId: input.address.id,
          addressLabel: input.address.label,
          endUser: input.endUser,
          startDate: input.date,
        });
      });
      return { switchId, portfolioEntryId: entry.id };
    },

    /** T-2: disconnect every terminated product on the date, then end its portfolio entry with that date. */
    async executeTermination(input: ExecuteTerminationInput): Promise<{ disconnectionIds: string[] }> {
      const disconnectionIds: string[] = [];
      for (const p of input.products) {
        // one key per number, derived from the workflow ID (a case may end several products, T-1)
        const { disconnectionId } = await adapters.orders.disconnect({ idempotencyKey: `${input.caseId}/${p.number}`, number: p.number, date: input.date });
        disconnectionIds.push(disconnectionId);
      }
      await sql.begin(async (tx) => {
        for (const p of input.products) await endEntry(tx, p.entryId, input.date, input.caseId);
      });
      return { disconnectionIds };
    },
  };
}

export type PortfolioActivities = ReturnType<typeof createPortfolioActivities>;
