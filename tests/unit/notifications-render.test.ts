// E-mail templates: compiled once from MJML, filled per e-mail; checked by snapshot and by content.
import { beforeAll, describe, expect, it } from 'vitest';
import { emailAudience } from '../../domain/notifications';
import { caseUrl, compileTemplates, renderStatusChange, type StatusChange, type Templates } from '../../notifications/render';

let templates: Templates;
beforeAll(async () => {
  templates = await compileTemplates();
});

const incomplete: StatusChange = {
  caseType: 'service_request',
  caseId: 'service-request:SR-000042',
  number: 'SR-000042',
  status: 'Incomplete',
  previousStatus: 'In Process',
  changedBy: 'hanne.handler',
  changedAt: '2026-11-26T09:15:00.000Z',
  statusText: 'Which entrance is the line at? <b>B</b>',
  refs: { reference: '22604411', customerOrderRef: 'NN-7781' },
};

describe('status-change e-mail', () => {
  it('S-7: Incomplete in bokmål says what is missing, what to do, and links to the case', () => {
    const mail = renderStatusChange(templates, incomplete, 'nb', 'https://samband.example');
    expect(mail.subject).toBe('[Samband] Henvendelse SR-000042: Incomplete');
    expect(mail.html).toContain('Which entrance is the line at? &lt;b&gt;B&lt;/b&gt;'); // escaped
    expect(mail.html).not.toContain('<b>B</b>');
    expect(mail.html).toContain('Customer Update');
    // issue 15: the case in the frontend (default: the app path on the API's host), never an API URL
    expect(mail.html).toContain('href="https://samband.example/app/#/service-requests/SR-000042"');
    // G-3: the deck's explanation of the status, the same text as GET /v1/reference/statuses
    expect(mail.text).toContain('Informasjon mangler i henvendelsen.');
    expect(mail.html).toContain('NN-7781');
    expect(mail.html).toContain('26.11.2026, 10:15'); // Oslo time
    expect(mail.html).not.toMatch(/\{\{\w+\}\}/);
    expect(mail.text).toContain('Kommentar: Which entrance is the line at? <b>B</b>');
    expect(mail.text).toContain('Customer Order Ref: NN-7781');
    expect(mail.text).not.toMatch(/\{\{\w+\}\}/);
    expect(mail.html).toMatchSnapshot();
    expect(mail.text).toMatchSnapshot();
  });

  it('O-18: English where the contact prefers it; Field Service reminds of C-4', () => {
    const mail = renderStatusChange(
      templates,
      { ...incomplete, caseType: 'order_line', number: 'ORD-000007:1', status: 'Field Service', previousStatus: 'Ready', statusText: null, refs: { customerOrderId: '1-8A3F2K' } },
      'en',
      'http://localhost:3000',
    );
    expect(mail.subject).toBe('[Samband] Order line ORD-000007:1: Field Service');
    expect(mail.html).toContain('present at delivery');
    expect(mail.html).toContain('1-8A3F2K');
    expect(mail.html).toContain('href="http://localhost:3000/app/#/orders/ORD-000007"');
    expect(mail.text).toContain('The installation date is set.');
    expect(mail.text).toMatchSnapshot();
  });

  it('O-18, Q-13, S-7: who gets an e-mail for which status', () => {
    expect(['Rejected', 'Field Service', 'Incomplete', 'Cancelled'].map((s) => emailAudience('order_line', s, true))).toEqual(['company', 'company', 'company', 'company']);
    expect(emailAudience('order_line', 'Cancelled', false)).toBe('opted_in');
    expect(emailAudience('order_line', 'Design', true)).toBe('opted_in');
    expect(emailAudience('quote', 'Completed', true)).toBe('company');
    expect(emailAudience('service_request', 'Incomplete', true)).toBe('company');
    expect(emailAudience('service_request', 'Completed', true)).toBe('company');
    expect(emailAudience('service_request', 'Cancelled', true)).toBe('company');
    expect(emailAudience('service_request', 'Cancelled', false)).toBe('opted_in');
    expect(emailAudience('service_request', 'Submitted', false)).toBe('opted_in');
  });
});

describe('issue 15: links in e-mails point to the case in a frontend', () => {
  it('O-18: FRONTEND_CASE_URL_TEMPLATE fills {type}, {number}, {caseType} and {lineNo}; a base URL gets the app path', () => {
    const template = 'https://portal.example/{type}/{number}?line={lineNo}&t={caseType}';
    expect(caseUrl(template, 'order_line', 'ORD-000007:2')).toBe('https://portal.example/orders/ORD-000007?line=2&t=order_line');
    expect(caseUrl('https://portal.example/{type}/{number}', 'switch_isp', 'SW-000001')).toBe('https://portal.example/switch-isp/SW-000001');
    expect(caseUrl('https://samband.example/', 'quote', 'Q-000001')).toBe('https://samband.example/app/#/quotes/Q-000001');
    const mail = renderStatusChange(templates, { ...incomplete, caseType: 'quote', number: 'Q-000003' }, 'nb', 'https://portal.example/{type}/{number}');
    expect(mail.html).toContain('href="https://portal.example/quotes/Q-000003"');
    expect(mail.text).toContain('https://portal.example/quotes/Q-000003');
  });
});
