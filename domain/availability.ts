// O-10 answers by address list every line of the building: the lines are told apart by their line
// id (and the flat in the address label), never by the numbers of other providers' end users. A
// check by number repeats only the number the caller already gave.
export function withoutOthersNumbers<L extends { phoneNumber?: string; circuitNumber?: string }>(lines: L[], query: { addressId?: string } | object): L[] {
  if (!('addressId' in query) || !query.addressId) return lines;
  return lines.map(({ phoneNumber: _phone, circuitNumber: _circuit, ...rest }) => rest as L);
}
