// The one place for every waiting time of the rulebook. Workflows receive these as start
// arguments (so tests can pass short durations); unit tests pin the production values.
import type { RuleDuration } from './time';

export const RULE_DURATIONS = {
  /** S-9: an SR in New or Completed is closed automatically after 14 calendar days. */
  serviceRequestAutoClose: { calendarDays: 14 },
  /** O-20: an order still New 14 days after it was started is cancelled automatically. */
  orderAutoCancel: { calendarDays: 14 },
  /** Quote issue (beyond the source): a Completed quote line's price is valid 90 days. */
  quotePriceValidity: { calendarDays: 90 },
  /**
   * I-5 / T-2: a switch-ISP or termination is carried out at 00:00 Oslo on its requested date
   * (`calendarDays` counts from the start of that date, so 0 = the date itself). Tests pass
   * `{ ms }`: that long after registration or the latest date change (domain/portfolio.ts).
   */
  switchIspExecution: { calendarDays: 0 },
  terminationExecution: { calendarDays: 0 },
  /** M-2.5: a Resolved trouble ticket closes by itself after this period unless the user confirms or reopens it first. */
  troubleTicketAutoClose: { calendarDays: 5 },
  /**
   * M-2.4: one hour of a product's repair-time target (the catalogue gives targets in hours). Tests pass a
   * few milliseconds, so a 4-hour target runs out within a test; the clock's arithmetic stays the same.
   */
  troubleTicketRepairHour: { ms: 3_600_000 },
} as const satisfies Record<string, RuleDuration>;

/** a user is logged out after 30 minutes without activity. */
export const SESSION_IDLE_TIMEOUT_MS = 30 * 60 * 1000;

/** I-5: a switch-ISP requested date lies at least 16 days ahead, 21 for SHDSL. */
export const SWITCH_ISP_LEAD_DAYS = { default: 16, shdsl: 21 } as const;

/** M-2.4: the share of the repair-time target after which the workflow warns that the target is about to be missed. */
export const TROUBLE_TICKET_ESCALATION_WARNING_FRACTION = 0.8;

/** M-4.1: Home lists the drafts the O-20 auto-cancel takes within this time ("within 3 days"). */
export const AUTO_CANCEL_WARNING: RuleDuration = { calendarDays: 3 };
