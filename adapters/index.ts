// The operator's external systems (X-1…X-7) as adapters; createSimulators wires the
// in-process simulators, each with fault injection read from SIM_<SYSTEM>_* variables.
import { AddressRegisterSimulator, type AddressRegister } from './address-register';
import { AppointmentSimulator, type AppointmentSystem } from './appointments';
import { BillingSimulator, type BillingSystem } from './billing';
import { faultConfigFromEnv } from './faults';
import { KapaksSimulator, type Kapaks } from './kapaks';
import { LineTestSimulator, type LineTest } from './line-test';
import { NrdbSimulator, type Nrdb } from './nrdb';
import { NumberingSimulator, type NumberingSystem } from './numbering';
import { OrderSystemSimulator, type OrderSystem } from './order-system';
import { PriceListSimulator, type PriceList } from './price-list';
import { remoteAdapters } from './remote';

export interface Adapters {
  addresses: AddressRegister;
  prices: PriceList;
  kapaks: Kapaks;
  appointments: AppointmentSystem;
  orders: OrderSystem;
  nrdb: Nrdb;
  numbering: NumberingSystem;
  /** M-2.2: the line-test system (trouble tickets) */
  lineTest: LineTest;
  billing: BillingSystem;
}

export interface Simulators {
  addresses: AddressRegisterSimulator;
  prices: PriceListSimulator;
  kapaks: KapaksSimulator;
  appointments: AppointmentSimulator;
  orders: OrderSystemSimulator;
  nrdb: NrdbSimulator;
  numbering: NumberingSimulator;
  lineTest: LineTestSimulator;
  billing: BillingSimulator;
}

/**
 * The adapters a process uses: with SIMULATOR_URL, HTTP clients of the simulator service (or of real
 * systems behind the same shape), shared by every API and worker process; without it, in-process simulators.
 */
export function createAdapters(env: Record<string, string | undefined> = process.env): Adapters {
  const url = env.SIMULATOR_URL;
  return url ? remoteAdapters(url, env.SIMULATOR_TIMEOUT_MS ? { timeoutMs: Number(env.SIMULATOR_TIMEOUT_MS) } : {}) : createSimulators(env);
}

/** Fresh simulators with empty state (safe to call many times). */
export function createSimulators(env: Record<string, string | undefined> = process.env): Simulators {
  const addresses = new AddressRegisterSimulator({ faults: faultConfigFromEnv('ADDRESS', env) });
  const prices = new PriceListSimulator({ faults: faultConfigFromEnv('PRICES', env) });
  const load = env.SIM_APPOINTMENTS_BACKGROUND_LOAD;
  const capacity = env.SIM_APPOINTMENTS_CAPACITY;
  return {
    addresses,
    prices,
    kapaks: new KapaksSimulator({ addresses, faults: faultConfigFromEnv('KAPAKS', env) }),
    appointments: new AppointmentSimulator({
      addresses,
      faults: faultConfigFromEnv('APPOINTMENTS', env),
      ...(capacity ? { capacityPerSlot: Number(capacity) } : {}),
      ...(load ? { backgroundLoad: Number(load) } : {}),
    }),
    orders: new OrderSystemSimulator({ prices, faults: faultConfigFromEnv('ORDERS', env) }),
    nrdb: new NrdbSimulator({ faults: faultConfigFromEnv('NRDB', env) }),
    numbering: new NumberingSimulator({ addresses, faults: faultConfigFromEnv('NUMBERING', env) }),
    lineTest: new LineTestSimulator({ faults: faultConfigFromEnv('LINE_TEST', env) }),
    // reads the month's provisioning records from the source the worker connects (activities/invoices.ts)
    billing: new BillingSimulator({ prices, faults: faultConfigFromEnv('BILLING', env) }),
  };
}

export * from './faults';
export * from './address-register';
export * from './price-list';
export * from './lines';
export * from './kapaks';
export * from './appointments';
export * from './order-system';
export * from './nrdb';
export * from './numbering';
export * from './line-test';
export * from './calendar';
export * from './billing';
