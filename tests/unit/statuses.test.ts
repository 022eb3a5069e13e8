// G-3: one place for the label and explanation of every status and letter (domain/statuses.ts).
import { describe, expect, it } from 'vitest';
import { LINE_STATUS_CODES, LINE_STATUSES, ORDER_STATUSES } from '../../domain/order';
import { QuoteLineStatus, QuoteStatus } from '../../domain/quote';
import { SrStatus } from '../../domain/service-request';
import { isFinalStatus, STATUS_TEXTS, statusText } from '../../domain/statuses';
import { SwitchStatus } from '../../domain/switch-isp';
import { TerminationStatus } from '../../domain/termination';

describe('status texts (G-3)', () => {
  it('G-3: every status of every vocabulary has a label and an explanation in bokmål and English (a new status without text fails here)', () => {
    const vocabularies: Record<string, readonly string[]> = {
      order: ORDER_STATUSES,
      order_line: LINE_STATUSES,
      quote: QuoteStatus.options,
      quote_line: QuoteLineStatus.options,
      service_request: SrStatus.options,
      switch_isp: SwitchStatus.options,
      termination: TerminationStatus.options,
    };
    for (const [scope, statuses] of Object.entries(vocabularies)) {
      const texts = STATUS_TEXTS[scope as keyof typeof STATUS_TEXTS];
      expect(
        texts.map((t) => t.status),
        scope,
      ).toEqual([...statuses]);
      for (const t of texts) {
        expect(t.explanation.nb.length, `${scope} ${t.status}`).toBeGreaterThan(10);
        expect(t.explanation.en.length, `${scope} ${t.status}`).toBeGreaterThan(10);
        expect(t.explanation.nb).not.toBe(t.explanation.en);
      }
    }
  });

  it('O-15: the delivery statuses carry their letters in the label ("Field Service (M)", "Cancelled (A)")', () => {
    for (const [status, code] of Object.entries(LINE_STATUS_CODES)) {
      expect(statusText('order_line', status)).toMatchObject({ code, label: { nb: `${status} (${code})`, en: `${status} (${code})` } });
    }
    expect(statusText('order', 'Cancelled')?.code).toBeNull();
    // the deck's own words (slide 84)
    expect(statusText('order_line', 'Ready')?.explanation.nb).toBe('Ordren ligger klar for sending til entreprenør.');
  });

  it('G-4: final statuses (attachments are kept as they are)', () => {
    expect(isFinalStatus('service_request', 'Closed')).toBe(true);
    expect(isFinalStatus('service_request', 'Incomplete')).toBe(false);
    expect(isFinalStatus('order', 'In Process')).toBe(false);
    expect(isFinalStatus('order_line', 'Finished')).toBe(true);
    expect(isFinalStatus('termination', 'Withdrawn')).toBe(true);
  });
});
