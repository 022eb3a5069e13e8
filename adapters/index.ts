// The operator's external systems (X-1…X-7) as adapters; createSimulators wires the
// in-process simulators, each with fault injection read from SIM_<SYSTEM>_* variables.
import { AddressRegisterSimulator, type AddressRegister } from './address-register';
import { AppointmentSimulator, type AppointmentSystem } from './appointments';
import { BillingSimulator, type BillingSystem } from './billing';
import { faultConfigFromEnv } from './faults';
import { KapaksSimulator, type Kapaks } from './kapaks';
import { NrdbSimulator, type Nrdb } from './nrdb';
import { OrderSystemSimulator, type OrderSystem } from './order-system';
import { PriceListSimulator, type PriceList } from './price-list';

export interface Adapters {
  addresses: AddressRegister;
  prices: PriceList;
  kapaks: Kapaks;
  appointments: AppointmentSystem;
  orders: OrderSystem;
  nrdb: Nrdb;
  billing: BillingSystem;
}

export interface Simulators {
  addresses: AddressRegisterSimulator;
  prices: PriceListSimulator;
  kapaks: KapaksSimulator;
  appointments: AppointmentSimulator;
  orders: OrderSystemSimulator;
  nrdb: NrdbSimulator;
  billing: BillingSimulator;
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
export * from './calendar';
export * from './billing';
