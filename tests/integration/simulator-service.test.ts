// Issue 16: the operator systems as one service that every API and worker process calls over HTTP. Its
// bookings and registrations live in PostgreSQL (a restart forgets none), its faults are set at runtime
// through its admin endpoint, and the adapters turn its answers back into the adapter errors the
// activities retry; an order goes through the product's own API and worker against it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AdapterRejectedError, AdapterTimeoutError, AdapterUnavailableError, type Adapters } from '../../adapters';
import { remoteAdapters } from '../../adapters/remote';
import { connect } from '../../db/client';
import { osloDate } from '../../domain/time';
import { startSimulatorService, type SimulatorService } from '../../simulator/service';
import { ADMIN_DATABASE_URL, databaseUrl } from '../support/env';
import { type Stack, startStack } from '../support/stack';
import { readyOrder } from '../support/orders';
import { eventually } from '../support/eventually';

const database = `samband_sim_${process.pid}`;
let service: SimulatorService;
let adapters: Adapters;
let port: number;
let stack: Stack;

const admin = (path: string, body?: unknown) =>
  fetch(`${service.url}${path}`, { method: body === undefined ? 'POST' : 'PUT', headers: { 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

beforeAll(async () => {
  const sql = connect(ADMIN_DATABASE_URL, { max: 1 });
  await sql.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await sql.unsafe(`CREATE DATABASE ${database}`);
  await sql.end();
  service = await startSimulatorService({ databaseUrl: databaseUrl(database), env: {} });
  port = Number(new URL(service.url).port);
  adapters = remoteAdapters(service.url, { timeoutMs: 3000 });
  stack = await startStack({ adapters });
});

afterAll(async () => {
  await stack?.stop();
  await service?.stop();
  const sql = connect(ADMIN_DATABASE_URL, { max: 1 });
  await sql.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await sql.end();
});

const today = osloDate(new Date());

it('a registration and a booking made through the service survive its restart: the same key answers the same Customer Order Id and booking', async () => {
  const registration = await adapters.orders.register({ idempotencyKey: 'svc-test-1', productCode: 'JARA-ADSL-DELT', today });
  const [slot] = await adapters.appointments.slots({ addressId: 'adr-0069', from: today, to: today.replace(/\d\d$/, '28') });
  expect(slot).toBeDefined();
  const booking = await adapters.appointments.book({ slotId: slot!.slotId, reference: 'svc-test', idempotencyKey: 'svc-book-1' });

  await service.stop();
  service = await startSimulatorService({ databaseUrl: databaseUrl(database), port, env: {} });

  const again = await adapters.orders.register({ idempotencyKey: 'svc-test-1', productCode: 'JARA-ADSL-DELT', today });
  expect(again.customerOrderId).toBe(registration.customerOrderId);
  const rebooked = await adapters.appointments.book({ slotId: slot!.slotId, reference: 'svc-test', idempotencyKey: 'svc-book-1' });
  expect(rebooked.bookingId).toBe(booking.bookingId);
  expect(service.sims.orders.registrations()).toBe(1);
});

it('faults are set at runtime through the admin endpoint and reach the caller as the adapter errors activities retry', async () => {
  expect((await admin('/admin/faults/orders', { errorRate: 1 })).status).toBe(200);
  await expect(adapters.orders.register({ idempotencyKey: 'svc-test-2', productCode: 'JARA-ADSL-DELT', today })).rejects.toBeInstanceOf(AdapterUnavailableError);
  // a lost reply: the registration took effect, the caller saw a time-out; the retry with its key gets the first answer
  await admin('/admin/faults/orders/reset');
  await admin('/admin/faults/orders', { lostReplyRate: 1, timeoutMs: 100 });
  const before = service.sims.orders.registrations();
  await expect(adapters.orders.register({ idempotencyKey: 'svc-test-3', productCode: 'JARA-ADSL-DELT', today })).rejects.toBeInstanceOf(AdapterTimeoutError);
  await admin('/admin/faults/orders/reset');
  const retried = await adapters.orders.register({ idempotencyKey: 'svc-test-3', productCode: 'JARA-ADSL-DELT', today });
  expect(retried.customerOrderId).toMatch(/\S/);
  expect(service.sims.orders.registrations()).toBe(before + 1);
  // a system that hangs past the caller's time-out is a time-out on the caller's side
  await admin('/admin/faults/kapaks', { timeoutRate: 1, timeoutMs: 5000 });
  await expect(adapters.kapaks.lookupLine({ phoneNumber: '22171903' })).rejects.toBeInstanceOf(AdapterTimeoutError);
  await admin('/admin/faults/kapaks/reset');
  // a business "no" stays a rejection; a bad setting is refused
  await expect(adapters.orders.register({ idempotencyKey: 'svc-test-4', productCode: 'NO-SUCH-PRODUCT', today })).rejects.toBeInstanceOf(AdapterRejectedError);
  expect((await admin('/admin/faults/orders', { errorRate: 2 })).status).toBe(400);
});

it('an order goes through the product’s API and worker with every operator system behind the service', async () => {
  const token = await stack.login('ola.nordnett');
  const order = await readyOrder(stack, token);
  const before = service.sims.orders.registrations();
  const submitted = await stack.api('POST', `/v1/orders/${order.number}/submit`, { token });
  expect([200, 400]).toContain(submitted.status);
  if (submitted.status === 200) {
    await eventually(async () => (await stack.api('GET', `/v1/orders/${order.number}/lines/1`, { token })).body.status === 'Registered', 20_000, 'the line to be Registered');
    expect(service.sims.orders.registrations()).toBe(before + 1);
  } else {
    // O-12 (where the product needs a technician booking first): the refusal names the field; the service answered the look-ups
    expect(JSON.stringify(submitted.body)).toMatch(/booking|appointment/i);
  }
});
