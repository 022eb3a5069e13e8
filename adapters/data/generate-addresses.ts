// Generates adapters/data/addresses.json (X-1, Q-3): realistic Norwegian installation
// addresses with a seeded PRNG, so the output is identical on every run.
//   npx tsx adapters/data/generate-addresses.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Address } from '../address-register';
import { Rng } from './prng';

type Zone = 1 | 2 | 3;
type Kind = 'city' | 'suburb' | 'rural';

interface Municipality {
  name: string;
  no: string;
}
const M = {
  oslo: { name: 'Oslo', no: '0301' },
  baerum: { name: 'Bærum', no: '3201' },
  bergen: { name: 'Bergen', no: '4601' },
  trondheim: { name: 'Trondheim', no: '5001' },
  stavanger: { name: 'Stavanger', no: '1103' },
  tromso: { name: 'Tromsø', no: '5501' },
  drammen: { name: 'Drammen', no: '3301' },
  kristiansand: { name: 'Kristiansand', no: '4204' },
  lom: { name: 'Lom', no: '3434' },
  vaga: { name: 'Vågå', no: '3435' },
  tynset: { name: 'Tynset', no: '3427' },
  roros: { name: 'Røros', no: '5025' },
  hemsedal: { name: 'Hemsedal', no: '3326' },
  valle: { name: 'Valle', no: '4221' },
  vagan: { name: 'Vågan', no: '1865' },
  senja: { name: 'Senja', no: '5530' },
} satisfies Record<string, Municipality>;

interface StreetDef {
  street: string;
  postcode: string;
  town: string;
  m: Municipality;
  zone: Zone;
  kind: Kind;
  /** Coordinates of the lowest and highest house number of this segment. */
  from: [number, number];
  to: [number, number];
  numbers: [number, number];
  buildings: number;
}

const S = (
  street: string,
  postcode: string,
  town: string,
  m: Municipality,
  zone: Zone,
  kind: Kind,
  from: [number, number],
  to: [number, number],
  numbers: [number, number],
  buildings: number,
): StreetDef => ({ street, postcode, town, m, zone, kind, from, to, numbers, buildings });

// Connection zone: 1 city centre, 2 suburb, 3 rural (Q-5).
const STREETS: StreetDef[] = [
  // Oslo, centre (zone 1)
  S('Kirkeveien', '0364', 'OSLO', M.oslo, 1, 'city', [59.9292, 10.7148], [59.9338, 10.7262], [56, 99], 8),
  S('Kirkeveien', '0455', 'OSLO', M.oslo, 1, 'city', [59.9362, 10.7318], [59.9379, 10.7521], [100, 166], 5),
  S('Kirkegata', '0153', 'OSLO', M.oslo, 1, 'city', [59.9089, 10.7446], [59.9134, 10.7441], [1, 36], 6),
  S('Karl Johans gate', '0154', 'OSLO', M.oslo, 1, 'city', [59.9111, 10.7505], [59.9127, 10.7442], [1, 21], 5),
  S('Karl Johans gate', '0159', 'OSLO', M.oslo, 1, 'city', [59.9128, 10.744], [59.9137, 10.7396], [22, 33], 4),
  S('Karl Johans gate', '0162', 'OSLO', M.oslo, 1, 'city', [59.914, 10.739], [59.9159, 10.7341], [35, 47], 3),
  S('Storgata', '0155', 'OSLO', M.oslo, 1, 'city', [59.9126, 10.7489], [59.9151, 10.7558], [1, 40], 6),
  S('Storgata', '0182', 'OSLO', M.oslo, 1, 'city', [59.9152, 10.7561], [59.9171, 10.7592], [41, 60], 3),
  S('Trondheimsveien', '0560', 'OSLO', M.oslo, 1, 'city', [59.9181, 10.7601], [59.9262, 10.7768], [2, 80], 6),
  S('Bogstadveien', '0355', 'OSLO', M.oslo, 1, 'city', [59.9246, 10.7274], [59.9289, 10.7157], [1, 60], 6),
  S('Markveien', '0554', 'OSLO', M.oslo, 1, 'city', [59.9201, 10.7556], [59.9271, 10.7574], [1, 70], 5),
  S('Thorvald Meyers gate', '0555', 'OSLO', M.oslo, 1, 'city', [59.9202, 10.7589], [59.9289, 10.7601], [1, 90], 5),
  S('Grønlandsleiret', '0190', 'OSLO', M.oslo, 1, 'city', [59.9112, 10.7598], [59.9101, 10.7702], [1, 70], 4),
  S('Prinsens gate', '0152', 'OSLO', M.oslo, 1, 'city', [59.9099, 10.7421], [59.9117, 10.7479], [1, 30], 3),
  S('Dronning Eufemias gate', '0191', 'OSLO', M.oslo, 1, 'city', [59.9071, 10.7531], [59.9081, 10.7639], [1, 60], 3),
  S('Hegdehaugsveien', '0352', 'OSLO', M.oslo, 1, 'city', [59.9201, 10.7359], [59.9241, 10.7291], [1, 36], 3),
  S('Sørkedalsveien', '0369', 'OSLO', M.oslo, 1, 'city', [59.9301, 10.7131], [59.9339, 10.7031], [1, 40], 3),
  // Oslo and Bærum, suburbs (zone 2)
  S('Trondheimsveien', '0570', 'OSLO', M.oslo, 2, 'suburb', [59.9291, 10.7811], [59.9402, 10.8003], [100, 300], 4),
  S('Lambertseterveien', '1150', 'OSLO', M.oslo, 2, 'suburb', [59.8761, 10.8029], [59.8719, 10.8112], [1, 80], 4),
  S('Ekebergveien', '1178', 'OSLO', M.oslo, 2, 'suburb', [59.8951, 10.7699], [59.8819, 10.7781], [1, 130], 4),
  S('Tvetenveien', '0666', 'OSLO', M.oslo, 2, 'suburb', [59.9149, 10.8351], [59.9131, 10.8549], [1, 160], 4),
  S('Trosterudveien', '0778', 'OSLO', M.oslo, 2, 'suburb', [59.9469, 10.6931], [59.9501, 10.6849], [1, 40], 3),
  S('Holmenkollveien', '0787', 'OSLO', M.oslo, 2, 'suburb', [59.9481, 10.6779], [59.9601, 10.6699], [1, 160], 4),
  S('Grorudveien', '0976', 'OSLO', M.oslo, 2, 'suburb', [59.9609, 10.8801], [59.9621, 10.8899], [1, 60], 3),
  S('Vækerøveien', '0281', 'OSLO', M.oslo, 2, 'suburb', [59.9231, 10.6651], [59.9268, 10.6702], [1, 120], 3),
  S('Løkketangen', '1337', 'SANDVIKA', M.baerum, 2, 'suburb', [59.8902, 10.5228], [59.8911, 10.5261], [1, 30], 3),
  S('Rådmann Halmrasts vei', '1337', 'SANDVIKA', M.baerum, 2, 'suburb', [59.8898, 10.5262], [59.8921, 10.5301], [1, 30], 3),
  // Bergen
  S('Torgallmenningen', '5014', 'BERGEN', M.bergen, 1, 'city', [60.3932, 5.3236], [60.3925, 5.3271], [1, 16], 3),
  S('Strandgaten', '5013', 'BERGEN', M.bergen, 1, 'city', [60.3941, 5.3219], [60.3962, 5.3149], [1, 100], 5),
  S('Kong Oscars gate', '5017', 'BERGEN', M.bergen, 1, 'city', [60.3961, 5.3281], [60.3931, 5.3341], [1, 70], 4),
  S('Nygårdsgaten', '5015', 'BERGEN', M.bergen, 1, 'city', [60.3881, 5.3291], [60.3859, 5.3339], [1, 120], 4),
  S('Olav Kyrres gate', '5014', 'BERGEN', M.bergen, 1, 'city', [60.3911, 5.3231], [60.3879, 5.3259], [1, 60], 3),
  S('Fjøsangerveien', '5054', 'BERGEN', M.bergen, 2, 'suburb', [60.3701, 5.3409], [60.3551, 5.3421], [1, 200], 4),
  S('Sandviksveien', '5035', 'BERGEN', M.bergen, 2, 'suburb', [60.4031, 5.3201], [60.4119, 5.3181], [1, 110], 3),
  S('Inndalsveien', '5063', 'BERGEN', M.bergen, 2, 'suburb', [60.3689, 5.3501], [60.3631, 5.3529], [1, 60], 3),
  S('Nesttunvegen', '5221', 'NESTTUN', M.bergen, 2, 'suburb', [60.3201, 5.3529], [60.3169, 5.3561], [1, 120], 3),
  // Trondheim
  S('Munkegata', '7011', 'TRONDHEIM', M.trondheim, 1, 'city', [63.4291, 10.3951], [63.4341, 10.3961], [1, 60], 4),
  S('Olav Tryggvasons gate', '7011', 'TRONDHEIM', M.trondheim, 1, 'city', [63.4335, 10.3901], [63.4334, 10.4049], [1, 50], 4),
  S('Kongens gate', '7012', 'TRONDHEIM', M.trondheim, 1, 'city', [63.4311, 10.3851], [63.4301, 10.4019], [1, 90], 4),
  S('Nordre gate', '7011', 'TRONDHEIM', M.trondheim, 1, 'city', [63.4329, 10.3969], [63.4351, 10.3976], [1, 30], 3),
  S('Innherredsveien', '7042', 'TRONDHEIM', M.trondheim, 2, 'suburb', [63.4341, 10.4151], [63.4369, 10.4399], [1, 120], 4),
  S('Elgeseter gate', '7030', 'TRONDHEIM', M.trondheim, 2, 'suburb', [63.4239, 10.3961], [63.4161, 10.3959], [1, 60], 3),
  S('Byåsveien', '7021', 'TRONDHEIM', M.trondheim, 2, 'suburb', [63.4199, 10.3601], [63.4101, 10.3399], [1, 180], 3),
  // Stavanger
  S('Kirkegata', '4006', 'STAVANGER', M.stavanger, 1, 'city', [58.9706, 5.7319], [58.9694, 5.7346], [1, 40], 3),
  S('Klubbgata', '4013', 'STAVANGER', M.stavanger, 1, 'city', [58.9701, 5.7299], [58.9689, 5.7321], [1, 10], 2),
  S('Pedersgata', '4013', 'STAVANGER', M.stavanger, 1, 'city', [58.9681, 5.7379], [58.9659, 5.7461], [1, 120], 3),
  S('Løkkeveien', '4008', 'STAVANGER', M.stavanger, 1, 'city', [58.9701, 5.7251], [58.9679, 5.7179], [1, 100], 3),
  S('Madlaveien', '4009', 'STAVANGER', M.stavanger, 2, 'suburb', [58.9661, 5.7199], [58.9599, 5.7001], [1, 80], 3),
  S('Hillevågsveien', '4016', 'STAVANGER', M.stavanger, 2, 'suburb', [58.9551, 5.7399], [58.9479, 5.7451], [1, 100], 3),
  // Tromsø
  S('Storgata', '9008', 'TROMSØ', M.tromso, 1, 'city', [69.6481, 18.9519], [69.6521, 18.9601], [1, 140], 4),
  S('Grønnegata', '9008', 'TROMSØ', M.tromso, 1, 'city', [69.6489, 18.9531], [69.6511, 18.9579], [1, 90], 3),
  S('Sjøgata', '9008', 'TROMSØ', M.tromso, 1, 'city', [69.6479, 18.9561], [69.6501, 18.9599], [1, 50], 2),
  S('Hansine Hansens veg', '9019', 'TROMSØ', M.tromso, 2, 'suburb', [69.6799, 18.9701], [69.6821, 18.9779], [1, 80], 3),
  S('Kvaløyvegen', '9016', 'TROMSØ', M.tromso, 2, 'suburb', [69.6451, 18.9001], [69.6499, 18.8601], [1, 200], 3),
  // Drammen
  S('Nedre Storgate', '3015', 'DRAMMEN', M.drammen, 1, 'city', [59.7431, 10.2009], [59.7441, 10.2081], [1, 50], 3),
  S('Bragernes torg', '3017', 'DRAMMEN', M.drammen, 1, 'city', [59.7439, 10.2039], [59.7448, 10.2061], [1, 14], 2),
  S('Tollbugata', '3044', 'DRAMMEN', M.drammen, 1, 'city', [59.7396, 10.2049], [59.7384, 10.2151], [1, 60], 3),
  S('Konnerudgata', '3045', 'DRAMMEN', M.drammen, 2, 'suburb', [59.7369, 10.2101], [59.7301, 10.1999], [1, 60], 3),
  // Kristiansand
  S('Markens gate', '4611', 'KRISTIANSAND S', M.kristiansand, 1, 'city', [58.1441, 7.9929], [58.1489, 7.9961], [1, 60], 3),
  S('Dronningens gate', '4610', 'KRISTIANSAND S', M.kristiansand, 1, 'city', [58.1431, 7.9969], [58.1489, 7.9991], [1, 80], 3),
  S('Kirkegata', '4610', 'KRISTIANSAND S', M.kristiansand, 1, 'city', [58.1451, 7.9949], [58.1479, 7.9961], [1, 40], 2),
  S('Vågsbygdveien', '4621', 'KRISTIANSAND S', M.kristiansand, 2, 'suburb', [58.1301, 7.9601], [58.1199, 7.9499], [1, 160], 3),
  // Rural (zone 3)
  S('Sognefjellsvegen', '2686', 'LOM', M.lom, 3, 'rural', [61.8371, 8.5641], [61.8299, 8.5301], [1, 60], 3),
  S('Vågåvegen', '2680', 'VÅGÅ', M.vaga, 3, 'rural', [61.8761, 9.0951], [61.8751, 9.1099], [1, 40], 3),
  S('Kongsveien', '2500', 'TYNSET', M.tynset, 3, 'rural', [62.2751, 10.7801], [62.2779, 10.7849], [1, 30], 2),
  S('Kjerkgata', '7374', 'RØROS', M.roros, 3, 'rural', [62.5741, 11.3839], [62.5769, 11.3899], [1, 50], 3),
  S('Trøimsvegen', '3560', 'HEMSEDAL', M.hemsedal, 3, 'rural', [60.8621, 8.5529], [60.8679, 8.5651], [1, 80], 2),
  S('Setesdalsvegen', '4747', 'VALLE', M.valle, 3, 'rural', [59.2121, 7.5319], [59.2149, 7.5351], [1, 40], 2),
  S('Vestfjordgata', '8300', 'SVOLVÆR', M.vagan, 3, 'rural', [68.2331, 14.5641], [68.2349, 14.5689], [1, 40], 2),
  S('Storgata', '9300', 'FINNSNES', M.senja, 3, 'rural', [69.2299, 17.9801], [69.2321, 17.9849], [1, 60], 2),
];

const rng = new Rng(20260301);
const out: Address[] = [];
const seen = new Set<string>();

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

function streetDef(street: string, postcode: string): StreetDef {
  const d = STREETS.find((s) => s.street === street && s.postcode === postcode);
  if (!d) throw new Error(`no street ${street} ${postcode}`);
  return d;
}

const buildingCoords = new Map<string, [number, number]>();

/** One point per building (flats in a building share it), interpolated along the street. */
function coordsFor(d: StreetDef, houseNumber: number, letter = ''): [number, number] {
  const key = `${d.street}|${d.postcode}|${houseNumber}${letter}`;
  const known = buildingCoords.get(key);
  if (known) return known;
  const [lo, hi] = d.numbers;
  const t = hi === lo ? 0 : (houseNumber - lo) / (hi - lo);
  // odd numbers on one side of the street, even on the other (~10 m apart), plus jitter
  const side = houseNumber % 2 === 0 ? 1 : -1;
  const lat = d.from[0] + (d.to[0] - d.from[0]) * t + side * 0.00005 + (rng.next() - 0.5) * 0.0001;
  const lon = d.from[1] + (d.to[1] - d.from[1]) * t - side * 0.00008 + (rng.next() - 0.5) * 0.0002;
  const point: [number, number] = [round6(lat), round6(lon)];
  buildingCoords.set(key, point);
  return point;
}

interface Unit {
  houseLetter?: string;
  entrance?: string;
  floor?: string;
  flat?: string;
}

function label(a: Omit<Address, 'id' | 'label'>): string {
  const parts: string[] = [];
  if (a.street) parts.push(`${a.street}${a.houseNumber !== undefined ? ` ${a.houseNumber}` : ''}${a.houseLetter ?? ''}`);
  else if (a.insa) parts.push(`INSA ${a.insa}`);
  else if (a.cadastral) parts.push(`Gnr. ${a.cadastral.gnr} Bnr. ${a.cadastral.bnr}`);
  if (a.entrance) parts.push(`inng. ${a.entrance}`);
  if (a.flat) parts.push(a.flat);
  else if (a.floor) parts.push(a.floor);
  parts.push(`${a.postcode} ${a.town}`);
  return parts.join(', ');
}

function push(a: Omit<Address, 'id' | 'label'>): Address {
  const key = [a.street, a.houseNumber, a.houseLetter, a.entrance, a.flat, a.floor, a.postcode, a.insa, a.cadastral?.gnr, a.cadastral?.bnr, a.cadastral?.municipalityNo].join('|');
  if (seen.has(key)) throw new Error(`duplicate address ${key}`);
  seen.add(key);
  const id = `adr-${String(out.length + 1).padStart(4, '0')}`;
  // fixed key order keeps the JSON readable and stable
  const full: Address = { id, ...a, label: label(a) };
  out.push(full);
  return full;
}

let ruralGnr = 10;
function streetAddress(d: StreetDef, houseNumber: number, unit: Unit): Address {
  const [lat, lon] = coordsFor(d, houseNumber, unit.houseLetter);
  const a: Omit<Address, 'id' | 'label'> = {
    street: d.street,
    houseNumber,
    ...(unit.houseLetter ? { houseLetter: unit.houseLetter } : {}),
    ...(unit.entrance ? { entrance: unit.entrance } : {}),
    ...(unit.floor ? { floor: unit.floor } : {}),
    ...(unit.flat ? { flat: unit.flat } : {}),
    postcode: d.postcode,
    town: d.town,
    municipality: d.m.name,
    lat,
    lon,
    zone: d.zone,
  };
  // rural street addresses also carry their cadastral reference (searchable by gnr/bnr too)
  if (d.kind === 'rural') a.cadastral = { municipalityNo: d.m.no, gnr: (ruralGnr += rng.int(1, 7)), bnr: rng.int(1, 30) };
  return push(a);
}

const flatNo = (floor: number, n: number) => `H${String(floor).padStart(2, '0')}${String(n).padStart(2, '0')}`;
const floorText = (floor: number) => `${floor}. etg`;

// ---- 1. Anchors: fixed ids that tests and KAPAKS/NRDB examples rely on (adr-0001…0010)
streetAddress(streetDef('Kirkeveien', '0364'), 64, { houseLetter: 'B', floor: floorText(2), flat: 'H0201' });
streetAddress(streetDef('Kirkeveien', '0364'), 64, { houseLetter: 'B', floor: floorText(2), flat: 'H0202' });
streetAddress(streetDef('Karl Johans gate', '0159'), 22, { floor: floorText(3) });
streetAddress(streetDef('Kirkegata', '0153'), 15, { floor: floorText(2) });
streetAddress(streetDef('Storgata', '0155'), 10, { houseLetter: 'A', floor: floorText(1), flat: 'H0101' });
streetAddress(streetDef('Trondheimsveien', '0570'), 235, {});
streetAddress(streetDef('Torgallmenningen', '5014'), 8, { floor: floorText(4) });
streetAddress(streetDef('Munkegata', '7011'), 26, {});
streetAddress(streetDef('Sognefjellsvegen', '2686'), 12, {});
streetAddress(streetDef('Kirkegata', '4006'), 15, {});

// ---- 2. Post-box addresses (adr-0011…0015): in the register, but never installation addresses (Q-2)
// [street, postcode, town, municipality, zone, post office position]
const POST_BOXES: Array<[string, string, string, Municipality, Zone, [number, number]]> = [
  ['Postboks 123 Sentrum', '0102', 'OSLO', M.oslo, 1, [59.911, 10.753]],
  ['Postboks 7150 Majorstuen', '0307', 'OSLO', M.oslo, 1, [59.929, 10.714]],
  ['Postboks 1150 Sentrum', '5811', 'BERGEN', M.bergen, 1, [60.392, 5.324]],
  ['Postboks 2300 Torgarden', '7004', 'TRONDHEIM', M.trondheim, 1, [63.431, 10.395]],
  ['Postboks 8034', '4068', 'STAVANGER', M.stavanger, 1, [58.969, 5.733]],
];
for (const [street, postcode, town, m, zone, [lat, lon]] of POST_BOXES) {
  // the post office's position only: a post box has no installation point (no distance, Q-5)
  push({ street, postcode, town, municipality: m.name, lat, lon, approximatePosition: true, zone, postBox: true });
}

// ---- 3. Cadastral-only sites (adr-0016…0030): no street address, gårds- og bruksnummer (Q-3, O-3)
// coordinates null: parcel not geocoded; the municipality centre is given, marked approximate
const MUNICIPALITY_CENTRE: Record<string, [number, number]> = {
  '3435': [61.8757, 9.0975],
  '3427': [62.2766, 10.7826],
  '3326': [60.8636, 8.556],
  '5530': [69.2307, 17.9817],
  '0301': [59.9133, 10.7389],
};
const CADASTRAL: Array<[Municipality, string, string, number, number, Zone, [number, number] | null]> = [
  [M.lom, '2686', 'LOM', 45, 3, 3, [61.8212, 8.4987]],
  [M.lom, '2686', 'LOM', 112, 7, 3, [61.8556, 8.6123]],
  [M.vaga, '2680', 'VÅGÅ', 23, 1, 3, [61.8902, 9.0411]],
  [M.vaga, '2680', 'VÅGÅ', 87, 12, 3, null],
  [M.tynset, '2500', 'TYNSET', 301, 4, 3, [62.3011, 10.7402]],
  [M.tynset, '2500', 'TYNSET', 215, 2, 3, null],
  [M.roros, '7374', 'RØROS', 54, 9, 3, [62.6011, 11.4522]],
  [M.hemsedal, '3560', 'HEMSEDAL', 67, 21, 3, [60.8912, 8.5988]],
  [M.hemsedal, '3560', 'HEMSEDAL', 71, 5, 3, null],
  [M.valle, '4747', 'VALLE', 14, 6, 3, [59.2533, 7.4811]],
  [M.vagan, '8300', 'SVOLVÆR', 38, 102, 3, [68.2101, 14.4877]],
  [M.senja, '9300', 'FINNSNES', 129, 15, 3, null],
  [M.bergen, '5221', 'NESTTUN', 117, 344, 2, [60.3044, 5.3812]],
  [M.oslo, '0891', 'OSLO', 1, 87, 3, [60.0123, 10.7012]],
  [M.oslo, '0891', 'OSLO', 4, 2, 3, null],
];
function centreOf(m: Municipality): { lat: number; lon: number } {
  const c = MUNICIPALITY_CENTRE[m.no];
  if (!c) throw new Error(`no centre for ${m.name}`);
  return { lat: c[0], lon: c[1] };
}
for (const [m, postcode, town, gnr, bnr, zone, coords] of CADASTRAL) {
  push({
    postcode,
    town,
    municipality: m.name,
    ...(coords ? { lat: coords[0], lon: coords[1] } : { ...centreOf(m), approximatePosition: true }),
    zone,
    cadastral: { municipalityNo: m.no, gnr, bnr },
  });
}

// ---- 4. INSA-only sites (adr-0031…0040): technical sites identified by an INSA signature
// Format: <place code, 3–4 letters>-INSA-<4 digits>.
const INSA: Array<[string, Municipality, string, string, Zone, [number, number]]> = [
  ['OSLO-INSA-0042', M.oslo, '0580', 'OSLO', 1, [59.9273, 10.8012]],
  ['OSLO-INSA-0107', M.oslo, '0484', 'OSLO', 2, [59.9502, 10.7701]],
  ['BERG-INSA-0117', M.bergen, '5020', 'BERGEN', 1, [60.3861, 5.3322]],
  ['BERG-INSA-0231', M.bergen, '5136', 'MJØLKERÅEN', 3, [60.4811, 5.3012]],
  ['TRHM-INSA-0008', M.trondheim, '7031', 'TRONDHEIM', 2, [63.4102, 10.4103]],
  ['STAV-INSA-0230', M.stavanger, '4021', 'STAVANGER', 2, [58.9512, 5.7044]],
  ['TROM-INSA-0015', M.tromso, '9024', 'TOMASJORD', 2, [69.6688, 19.0101]],
  ['DRAM-INSA-0061', M.drammen, '3036', 'DRAMMEN', 2, [59.7301, 10.1702]],
  ['KRSD-INSA-0093', M.kristiansand, '4633', 'KRISTIANSAND S', 2, [58.1603, 8.0512]],
  ['LOM-INSA-0004', M.lom, '2686', 'LOM', 3, [61.8433, 8.5701]],
];
for (const [insa, m, postcode, town, zone, [lat, lon]] of INSA) {
  push({ postcode, town, municipality: m.name, lat, lon, zone, insa });
}

// ---- 5. Generated street addresses (adr-0041…)
const LETTERS = ['A', 'B', 'C'];
for (const d of STREETS) {
  const [lo, hi] = d.numbers;
  const candidates: number[] = [];
  for (let n = lo; n <= hi; n++) candidates.push(n);
  const numbers = rng.sample(candidates, d.buildings).sort((a, b) => a - b);
  for (const n of numbers) {
    const letter = rng.chance(d.kind === 'city' ? 0.2 : 0.12) ? rng.pick(LETTERS) : undefined;
    const r = rng.next();
    const apartments = d.kind === 'city' ? r < 0.4 : d.kind === 'suburb' ? r < 0.35 : false;
    const business = !apartments && (d.kind === 'city' ? r < 0.85 : d.kind === 'suburb' ? r < 0.5 : r < 0.15);
    const base: Unit = letter ? { houseLetter: letter } : {};
    const tryAdd = (u: Unit) => {
      try {
        streetAddress(d, n, u);
      } catch {
        /* collides with an anchor: skip */
      }
    };
    if (apartments) {
      const entrance = d.kind === 'city' && rng.chance(0.2) ? rng.pick(['A', 'B']) : undefined;
      const flats = rng.int(1, 3);
      const floors = rng.sample([1, 2, 3, 4, 5], flats);
      for (const f of floors.sort()) {
        tryAdd({ ...base, ...(entrance ? { entrance } : {}), floor: floorText(f), flat: flatNo(f, rng.int(1, 4)) });
      }
    } else if (business) {
      tryAdd({ ...base, floor: floorText(rng.int(1, 6)) });
    } else {
      tryAdd(base);
    }
  }
}

const target = fileURLToPath(new URL('./addresses.json', import.meta.url));
// one address per line: reviewable diffs, small file
writeFileSync(target, `[\n${out.map((a) => JSON.stringify(a)).join(',\n')}\n]\n`);
console.log(`wrote ${out.length} addresses to ${target}`);
