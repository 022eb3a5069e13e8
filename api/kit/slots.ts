// a technician comes to an address, so a slot id is bookable there only when the appointment
// system offers it free at that address (its technician area) on the slot's date. One check for
// order lines (O-12), switches (I-6) and repair appointments (M-2.6).
import type { Adapters } from '../../adapters';
import { slotDate } from '../../domain/switch-isp';

export async function isFreeSlotAt(adapters: Adapters, addressId: string, slotId: string): Promise<boolean> {
  const date = slotDate(slotId);
  if (!date) return false;
  const free = await adapters.appointments.slots({ addressId, from: date, to: date });
  return free.some((s) => s.slotId === slotId);
}
