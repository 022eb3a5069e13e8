// The request and answer shapes of the trouble-ticket routes (M-2), every field described for the
// OpenAPI document; the routes live in trouble-tickets.ts and handler-trouble-tickets.ts.
import { z } from '@hono/zod-openapi';
import { pageFields, pageQuery } from '../kit/page';
import { AttachmentRef } from '../../domain/case';
import { TtAction, TtCategory, TtSeverity, TtStatus } from '../../domain/trouble-ticket';

const ProductChoice = {
  number: z.string().trim().min(1).max(20).optional().openapi({ description: 'M-2.2: the phone or circuit number of the product in your portfolio', example: '22604411' }),
  addressId: z
    .string()
    .trim()
    .min(1)
    .max(20)
    .optional()
    .openapi({ description: 'M-2.2: or the installation address (register id): the product there, when it is the only one of yours', example: 'adr-0042' }),
};
const oneProduct = (b: { number?: string | undefined; addressId?: string | undefined }) => (b.number === undefined) !== (b.addressId === undefined);
const ONE_PRODUCT = { message: 'give exactly one of number and addressId', path: ['number'] };

export const PrecheckBody = z.strictObject(ProductChoice).refine(oneProduct, ONE_PRODUCT).openapi('TroubleTicketPrecheckRequest');

const EndUserContact = z
  .strictObject({
    name: z.string().trim().min(2).max(100).openapi({ description: "The end user's contact person for the technician" }),
    phone: z
      .string()
      .trim()
      .regex(/^\+?\d{8,12}$/, 'a phone number: 8 digits, or +47 and 8 digits')
      .openapi({ description: "The contact person's phone", example: '91234567' }),
    accessHours: z.string().trim().min(3).max(200).openapi({ description: 'When the premises can be accessed', example: 'Weekdays 08–16, key at the reception' }),
  })
  .openapi('TroubleTicketEndUserContact');

export const CreateBody = z
  .strictObject({
    ...ProductChoice,
    symptom: z.string().trim().min(10, 'describe the fault as the end user experiences it (M-2.2): at least 10 characters').max(4000).openapi({ description: 'What the end user experiences' }),
    category: TtCategory.describe('The kind of fault'),
    severity: TtSeverity.describe('Critical: no service for a business; Major: no or badly degraded service; Minor: the rest'),
    endUserContact: EndUserContact,
    customerReference: z.string().trim().min(1).max(100).optional().openapi({ description: "The reseller's own reference for the fault" }),
    attachmentIds: z.array(z.uuid()).max(10).default([]).openapi({ description: 'Attachments uploaded with POST /v1/attachments (G-4)' }),
  })
  .refine(oneProduct, ONE_PRODUCT)
  .openapi('CreateTroubleTicket');

export const UpdateBody = z
  .strictObject({
    symptom: z.string().trim().min(10).max(4000).optional().openapi({ description: 'The symptom, described anew' }),
    category: TtCategory.optional(),
    severity: TtSeverity.optional(),
    endUserContact: EndUserContact.optional(),
    attachmentIds: z.array(z.uuid()).max(10).optional().openapi({ description: 'Attachments to add' }),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined && (!Array.isArray(v) || v.length > 0)), { message: 'give at least one field to change' })
  .openapi('UpdateTroubleTicket');

export const CommentBody = z
  .strictObject({ comment: z.string().trim().min(1).max(2000).optional().openapi({ description: 'An optional comment for the activity log' }) })
  .openapi('TroubleTicketComment');
export const CustomerUpdateBody = z
  .strictObject({ text: z.string().trim().min(1, 'required: the information that was asked for').max(4000).openapi({ description: 'The information the handler asked for' }) })
  .openapi('TroubleTicketCustomerUpdate');
export const ReopenBody = z
  .strictObject({ reason: z.string().trim().min(1, 'required: why the fault is not repaired').max(2000).openapi({ description: 'M-2.5: why the fault is not repaired' }) })
  .openapi('ReopenTroubleTicket');
export const AppointmentBody = z
  .strictObject({ slotId: z.string().trim().min(1).max(40).openapi({ description: 'X-3: a free slot from GET /v1/reference/appointment-slots at the product address' }) })
  .openapi('TroubleTicketAppointment');

const ActivityEntrySchema = z.object({
  at: z.string().openapi({ description: 'When' }),
  by: z.string().openapi({ description: 'The acting username (A-4), or system' }),
  action: z.string().openapi({ description: 'What was done (create, submit, take, requestInfo, escalationWarning, autoClose, …)' }),
  fromStatus: z.string().nullable().openapi({ description: 'Status before' }),
  toStatus: z.string().openapi({ description: 'Status after' }),
  text: z.string().optional().openapi({ description: 'The comment, reason or answer given' }),
});

const ProductSchema = z
  .object({
    entryId: z.string().openapi({ description: 'The portfolio entry (M-1)' }),
    lineId: z.string().openapi({ description: 'The line in the network' }),
    number: z.string().openapi({ description: 'Phone or circuit number' }),
    numberKind: z.enum(['phone', 'circuit']).openapi({ description: 'Phone number or circuit number' }),
    productCode: z.string().openapi({ description: 'Catalogue code' }),
    productName: z.string().openapi({ description: 'Catalogue name' }),
    address: z.object({ id: z.string(), label: z.string(), municipality: z.string().nullable(), postcode: z.string().nullable() }).openapi({ description: 'Installation address' }),
    endUserName: z.string().openapi({ description: 'The end user holding the product' }),
  })
  .openapi('TroubleTicketProduct');

const LineTestSchema = z
  .object({
    testId: z.string().nullable().openapi({ description: "The test system's id of the test (null when it could not be run)" }),
    verdict: z
      .enum(['fault_found', 'no_fault_found', 'unavailable'])
      .openapi({ description: 'M-2.2: no_fault_found refuses the ticket; unavailable (the test system did not answer) lets it be raised' }),
    faultLocation: z.string().nullable().openapi({ description: 'access_network, exchange or customer_premises' }),
    detail: z.string().openapi({ description: 'The measurement in words' }),
    testedAt: z.string().openapi({ description: 'When the line was tested' }),
  })
  .openapi('LineTestResult');

const RepairClockSchema = z
  .object({
    targetHours: z.number().int().openapi({ description: "M-2.4: the product's repair-time target from the catalogue" }),
    targetMs: z.number().int().openapi({ description: 'The target in milliseconds (catalogue hours × the length of an hour)' }),
    usedMs: z.number().int().openapi({ description: 'Time used while the wholesaler had the ticket (not while it waited on the customer)' }),
    leftMs: z.number().int().openapi({ description: 'Time left; negative once the target is missed' }),
    running: z.boolean().openapi({ description: 'False while New, Incomplete (paused: waiting on the customer), Resolved or ended' }),
    dueAt: z.string().nullable().openapi({ description: 'When the target runs out if the clock keeps running' }),
    escalation: z.enum(['warning', 'breached']).nullable().openapi({ description: 'M-2.4: raised when the target is about to be missed, and when it is missed' }),
    warnedAt: z.string().nullable().openapi({ description: 'When the warning escalation was raised' }),
    breachedAt: z.string().nullable().openapi({ description: 'When the target was missed' }),
  })
  .openapi('RepairClock');

export const OperationalMessageSchema = z
  .object({
    id: z.string().openapi({ description: 'The message' }),
    kind: z.enum(['fault', 'planned_work']).openapi({ description: 'A known fault or planned work' }),
    title: z.string().openapi({ description: 'Headline' }),
    body: z.string().openapi({ description: 'What it is about' }),
    startsAt: z.string().openapi({ description: 'In force from' }),
    endsAt: z.string().nullable().openapi({ description: 'In force until (null: until withdrawn)' }),
  })
  .openapi('TroubleTicketOperationalMessage');

export const SummarySchema = z
  .object({
    number: z.string().openapi({ description: 'The ticket number', example: 'TT-583920417' }),
    companyId: z.string().openapi({ description: 'The reseller company' }),
    status: z.string().openapi({ description: 'M-2.5: the ticket status' }),
    productNumber: z.string().openapi({ description: 'Phone or circuit number of the product' }),
    productCode: z.string().openapi({ description: 'Catalogue code of the product' }),
    severity: z.string().openapi({ description: 'Critical, Major or Minor' }),
    category: z.string().openapi({ description: 'The kind of fault' }),
    handler: z.string().nullable().openapi({ description: 'The handler who took the ticket' }),
    escalation: z.string().nullable().openapi({ description: 'M-2.4: warning or breached' }),
    title: z.string().openapi({ description: 'Product and the start of the symptom' }),
    createdAt: z.string().openapi({ description: 'When the ticket was raised' }),
    updatedAt: z.string().openapi({ description: 'Last change' }),
    updatedBy: z.string().openapi({ description: 'Who made the last change (A-4)' }),
  })
  .openapi('TroubleTicketSummary');

export const TroubleTicketPage = z.object({ items: z.array(SummarySchema), ...pageFields }).openapi('TroubleTicketPage');

export const TroubleTicketSchema = z
  .object({
    number: z.string().openapi({ example: 'TT-000042' }),
    caseId: z.string().openapi({ example: 'trouble-ticket:TT-000042' }),
    companyId: z.string().openapi({ description: 'The reseller company' }),
    createdBy: z.string().openapi({ description: 'The user who raised the ticket (A-4)' }),
    product: ProductSchema,
    symptom: z.string().openapi({ description: 'What the end user experiences' }),
    category: TtCategory,
    severity: TtSeverity,
    endUserContact: EndUserContact,
    customerReference: z.string().nullable().openapi({ description: "The reseller's own reference" }),
    attachments: z.array(AttachmentRef).openapi({ description: 'G-4: attached files' }),
    lineTest: LineTestSchema,
    status: TtStatus.describe('M-2.5: the ticket status'),
    missingInformation: z.string().nullable().openapi({ description: 'M-2.6: what the handler asked for (Incomplete)' }),
    resolution: z.object({ cause: z.string(), text: z.string(), by: z.string(), at: z.string() }).nullable().openapi({ description: 'M-2.6: cause and resolution (Resolved)' }),
    cancellation: z.string().nullable().openapi({ description: 'M-2.5: the comment given with Cancelled' }),
    handler: z.string().nullable().openapi({ description: 'The handler who took the ticket' }),
    appointment: z.object({ bookingId: z.string(), slotId: z.string(), date: z.string(), window: z.string(), area: z.string() }).nullable().openapi({ description: 'X-3: the repair appointment' }),
    repairClock: RepairClockSchema,
    submittedAt: z.string().nullable().openapi({ description: 'When the ticket was submitted (the repair clock started)' }),
    resolvedAt: z.string().nullable().openapi({ description: 'When the handler resolved it (cleared by a reopen)' }),
    autoCloseAt: z.string().nullable().openapi({ description: 'M-2.5: a Resolved ticket closes by itself then, unless confirmed or reopened first' }),
    createdAt: z.string().openapi({ description: 'When the ticket was raised' }),
    updatedAt: z.string().openapi({ description: 'Last change' }),
    updatedBy: z.string().openapi({ description: 'Who made the last change (A-4)' }),
    version: z.number().int().openapi({ description: 'Increases with every change' }),
    activity: z.array(ActivityEntrySchema).openapi({ description: 'G-3: every action on the ticket, oldest first' }),
    allowedActions: z.array(TtAction).openapi({ description: 'What the calling user may do now (M-2.5, M-2.6)' }),
  })
  .openapi('TroubleTicket');

const ServiceRequestRef = z.object({ number: z.string(), status: z.string(), title: z.string(), updatedAt: z.string() }).openapi('TroubleTicketServiceRequest');

export const TroubleTicketDetail = TroubleTicketSchema.extend({
  operationalMessages: z.array(OperationalMessageSchema).openapi({ description: 'M-2.3 (M-4): messages in force covering the product or its area' }),
  serviceRequests: z.array(ServiceRequestRef).openapi({ description: "M-2.7 (S-6): service requests raised from this ticket (reference kind 'trouble_ticket')" }),
}).openapi('TroubleTicketDetail');

export const PrecheckResponse = z
  .object({
    products: z.array(ProductSchema).openapi({ description: 'Your current products matching the number or address' }),
    product: ProductSchema.nullable().openapi({ description: 'The product the ticket would be raised against (null when the address has several: choose by number)' }),
    lineTest: LineTestSchema.nullable().openapi({ description: 'M-2.2: the line test, run now' }),
    openTickets: z.array(SummarySchema).openapi({ description: 'M-2.3: open tickets on these products' }),
    duplicateOf: z.string().nullable().openapi({ description: 'M-2.3: the open ticket a new one would duplicate' }),
    operationalMessages: z.array(OperationalMessageSchema).openapi({ description: 'M-2.3 (M-4): messages in force for the product and its area' }),
    mayRaise: z.boolean().openapi({ description: 'Whether a ticket may be raised now' }),
    reason: z.string().nullable().openapi({ description: 'Why not, when mayRaise is false' }),
  })
  .openapi('TroubleTicketPrecheck');

export const TT_NUMBER = /^TT-\d{6,}$/;
export const TtNumberParam = z.object({
  number: z
    .string()
    .regex(TT_NUMBER, 'a trouble-ticket number like TT-000042')
    .openapi({ param: { name: 'number', in: 'path' }, example: 'TT-000042' }),
});

export const TtListQuery = z.object({
  status: TtStatus.optional().describe('Only tickets in this status'),
  productNumber: z.string().max(20).optional().openapi({ description: 'Only tickets on this phone or circuit number' }),
  severity: TtSeverity.optional().describe('Only tickets of this severity'),
  escalation: z.enum(['warning', 'breached']).optional().openapi({ description: 'M-2.4: only escalated tickets' }),
  q: z.string().max(100).optional().openapi({ description: 'Text anywhere in number, title, references' }),
  companyId: z.string().optional().openapi({ description: 'Handlers only; resellers always see their own company' }),
  ...pageQuery({ limit: 25 }),
});
