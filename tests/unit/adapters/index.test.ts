import { describe, expect, it } from 'vitest';
import { AdapterUnavailableError, createSimulators, KAPAKS_EXAMPLES } from '../../../adapters';

describe('createSimulators', () => {
  it('wires all six systems; each reads its own SIM_<SYSTEM>_* variables', async () => {
    const sims = createSimulators({ SIM_KAPAKS_ERROR_RATE: '1', SIM_ADDRESS_LATENCY_MS: '0', SIM_PRICES_LATENCY_MS: '0', SIM_KAPAKS_LATENCY_MS: '0', SIM_NRDB_LATENCY_MS: '1-2' });
    expect(sims.kapaks.faults.current.errorRate).toBe(1);
    expect(sims.addresses.faults.current.errorRate).toBe(0);
    expect(sims.nrdb.faults.current.latencyMs).toEqual([1, 2]);
    await expect(sims.kapaks.check({ phoneNumber: KAPAKS_EXAMPLES.green.phoneNumber, productCode: 'PSTN' })).rejects.toBeInstanceOf(AdapterUnavailableError);
    await expect(sims.addresses.get('adr-0001')).resolves.toBeDefined();
  });

  it('fresh simulators share no state', async () => {
    const a = createSimulators({});
    const b = createSimulators({});
    await a.orders.register({ idempotencyKey: 'k', productCode: 'PSTN', today: '2026-11-26' });
    expect(a.orders.registrations()).toBe(1);
    expect(b.orders.registrations()).toBe(0);
  });

  it('appointment capacity and background load can be set from the environment', () => {
    const s = createSimulators({ SIM_APPOINTMENTS_CAPACITY: '7', SIM_APPOINTMENTS_BACKGROUND_LOAD: '0' });
    expect(s.appointments.capacityPerSlot).toBe(7);
    expect(s.appointments.backgroundLoad).toBe(0);
  });

  it('a malformed variable fails loudly', () => {
    expect(() => createSimulators({ SIM_ORDERS_TIMEOUT_RATE: 'often' })).toThrow(RangeError);
  });
});
