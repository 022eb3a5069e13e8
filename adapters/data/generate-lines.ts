// Generates adapters/data/lines.json (existing copper lines and fibre circuits in the access
// network: Kapaks O-10, number look-up O-4, switch-ISP I-3) and authorisations.json (NRDB, I-4)
// from addresses.json, with a seeded PRNG. Run after generate-addresses.ts:
//   npx tsx adapters/data/generate-lines.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Address } from '../address-register';
import type { ExistingLine, EndUser } from '../lines';
import type { Authorisation } from '../nrdb';
import { Rng } from './prng';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const addresses = JSON.parse(readFileSync(here('./addresses.json'), 'utf8')) as Address[];
const rng = new Rng(20260302);

const FIRST = [
  'Ingrid',
  'Ola',
  'Kari',
  'Per',
  'Nora',
  'Lars',
  'Emma',
  'Jonas',
  'Sofie',
  'Magnus',
  'Ida',
  'Henrik',
  'Marit',
  'Knut',
  'Sigrid',
  'Anders',
  'Hanne',
  'Eirik',
  'Astrid',
  'Bjørn',
  'Tone',
  'Håkon',
  'Liv',
  'Even',
  'Solveig',
  'Tor',
  'Silje',
  'Øyvind',
  'Maja',
  'Sindre',
  'Ragnhild',
  'Geir',
  'Thea',
  'Arne',
  'Camilla',
  'Stian',
];
const LAST = [
  'Hansen',
  'Johansen',
  'Olsen',
  'Larsen',
  'Andersen',
  'Pedersen',
  'Nilsen',
  'Kristiansen',
  'Jensen',
  'Karlsen',
  'Johnsen',
  'Pettersen',
  'Eriksen',
  'Berg',
  'Haugen',
  'Hagen',
  'Johannessen',
  'Andreassen',
  'Jacobsen',
  'Dahl',
  'Jørgensen',
  'Halvorsen',
  'Henriksen',
  'Lund',
  'Sørensen',
  'Strand',
  'Moen',
  'Bakken',
  'Solberg',
  'Lie',
  'Rønning',
  'Aas',
  'Bråten',
  'Nygård',
  'Sæther',
  'Vik',
];
const COMPANY_WORDS = [
  'Nordlys',
  'Fjellvind',
  'Havbris',
  'Bryggen',
  'Kystlinje',
  'Granitt',
  'Skog og Hav',
  'Polarlys',
  'Trekant',
  'Vestkyst',
  'Midtnorsk',
  'Elvebakken',
  'Torget',
  'Solsiden',
  'Bakeriet',
  'Sentrum',
  'Fjordkraft Service',
  'Tindeglimt',
  'Barlind',
  'Kvartal',
];
const COMPANY_TRADES = ['Regnskap', 'Advokatfirma', 'Eiendom', 'Tannlegesenter', 'Arkitekter', 'Bygg', 'Konsult', 'Legesenter', 'Revisjon', 'Data', 'Transport', 'Eiendomsmegling'];

const usedNames = new Set<string>();
function personName(): string {
  for (;;) {
    const n = `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
    if (!usedNames.has(n) || rng.chance(0.15)) {
      usedNames.add(n);
      return n;
    }
  }
}

function birthDate(): string {
  const y = rng.int(1942, 2003);
  const m = rng.int(1, 12);
  const d = rng.int(1, 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A valid Norwegian organisation number (mod-11 check digit, weights 3 2 7 6 5 4 3 2). */
const usedOrg = new Set<string>();
function orgNumber(): string {
  for (;;) {
    const digits = [rng.pick([8, 9]), ...Array.from({ length: 7 }, () => rng.int(0, 9))];
    const sum = digits.reduce((s, d, i) => s + d * ([3, 2, 7, 6, 5, 4, 3, 2][i] ?? 0), 0);
    const check = (11 - (sum % 11)) % 11;
    if (check === 10) continue;
    const n = [...digits, check].join('');
    if (usedOrg.has(n)) continue;
    usedOrg.add(n);
    return n;
  }
}

const usedCompanyNames = new Set<string>();
function company(): EndUser {
  for (;;) {
    const name = `${rng.pick(COMPANY_WORDS)} ${rng.pick(COMPANY_TRADES)} AS`;
    if (usedCompanyNames.has(name)) continue;
    usedCompanyNames.add(name);
    return { kind: 'company', name, orgNumber: orgNumber() };
  }
}
const person = (): EndUser => ({ kind: 'person', name: personName(), birthDate: birthDate() });

// Landline area prefixes per municipality number; circuit prefixes per region.
const PHONE_PREFIX: Record<string, string[]> = {
  '0301': ['22', '23'],
  '3201': ['67'],
  '4601': ['55'],
  '5001': ['73'],
  '1103': ['51'],
  '5501': ['77'],
  '3301': ['32'],
  '4204': ['38'],
  '3434': ['61'],
  '3435': ['61'],
  '3427': ['62'],
  '5025': ['72'],
  '3326': ['32'],
  '4221': ['37'],
  '1865': ['76'],
  '5530': ['77'],
};
const CIRCUIT_PREFIX: Record<string, string> = {
  Oslo: 'OSL',
  'Bærum': 'OSL',
  Bergen: 'BGO',
  Trondheim: 'TRD',
  Stavanger: 'SVG',
  'Tromsø': 'TOS',
  Drammen: 'DRM',
  Kristiansand: 'KRS',
};
const MUNICIPALITY_NO: Record<string, string> = {
  Oslo: '0301',
  'Bærum': '3201',
  Bergen: '4601',
  Trondheim: '5001',
  Stavanger: '1103',
  'Tromsø': '5501',
  Drammen: '3301',
  Kristiansand: '4204',
  Lom: '3434',
  'Vågå': '3435',
  Tynset: '3427',
  'Røros': '5025',
  Hemsedal: '3326',
  Valle: '4221',
  'Vågan': '1865',
  Senja: '5530',
};

const usedPhones = new Set<string>();
function phoneFor(a: Address): string {
  const prefixes = PHONE_PREFIX[MUNICIPALITY_NO[a.municipality] ?? ''] ?? ['22'];
  for (;;) {
    const n = rng.pick(prefixes) + String(rng.int(0, 999_999)).padStart(6, '0');
    if (!usedPhones.has(n)) {
      usedPhones.add(n);
      return n;
    }
  }
}
const usedCircuits = new Set<string>();
function circuitFor(a: Address): string {
  for (;;) {
    const n = `${CIRCUIT_PREFIX[a.municipality] ?? 'OSL'}-${rng.int(100_000, 999_999)}`;
    if (!usedCircuits.has(n)) {
      usedCircuits.add(n);
      return n;
    }
  }
}

function loopLength(zone: 1 | 2 | 3): number {
  const [lo, hi] = zone === 1 ? [200, 2_600] : zone === 2 ? [800, 4_800] : [2_500, 8_000];
  return Math.round(rng.int(lo, hi) / 10) * 10;
}

const RESELLERS = ['Telia', 'Ice', 'NextGenTel', 'Eidsiva', 'Altibox'];
const lines: ExistingLine[] = [];

interface LineSpec {
  productCode: string;
  operator: string;
  endUser: EndUser;
  speedMbps?: number;
  loopLengthMeters?: number;
  recordStatus?: 'ok' | 'inconsistent';
  phoneNumber?: string;
}

const ACCESS: Record<string, 'shared' | 'full' | undefined> = {
  'JARA-ADSL-DELT': 'shared',
  'JARA-ADSL-FULL': 'full',
  'ONLINE-ADSL': 'shared',
  'OPA-DELT': 'shared',
  'OPA-FULL': 'full',
};
const FIBRE = new Set(['SAMB-ETH', 'SAMB-SDH', 'MORK-FIBER']);

function addLine(a: Address, s: LineSpec): ExistingLine {
  const fibre = FIBRE.has(s.productCode);
  const accessType = ACCESS[s.productCode];
  const line: ExistingLine = {
    lineId: `LIN-${String(lines.length + 1).padStart(6, '0')}`,
    ...(fibre ? { circuitNumber: circuitFor(a) } : { phoneNumber: s.phoneNumber ?? phoneFor(a) }),
    addressId: a.id,
    endUser: s.endUser,
    operator: s.operator,
    productCode: s.productCode,
    ...(accessType ? { accessType } : {}),
    ...(s.speedMbps !== undefined ? { speedMbps: s.speedMbps } : {}),
    medium: fibre ? 'fibre' : 'copper',
    ...(fibre ? {} : { loopLengthMeters: s.loopLengthMeters ?? loopLength(a.zone) }),
    recordStatus: s.recordStatus ?? (rng.chance(0.04) ? 'inconsistent' : 'ok'),
  };
  lines.push(line);
  return line;
}

const byId = new Map(addresses.map((a) => [a.id, a]));
const addr = (id: string): Address => {
  const a = byId.get(id);
  if (!a) throw new Error(`missing ${id}`);
  return a;
};

// ---- Anchors (documented as KAPAKS_EXAMPLES / NRDB_EXAMPLES) ---------------------------------
for (const p of ['22604411', '22604412', '22604520', '22337810', '22415500', '22171903', '22655147', '55302040', '73521188', '61211734', '22337811']) usedPhones.add(p);
const ingrid: EndUser = { kind: 'person', name: 'Ingrid Hansen', birthDate: '1984-03-12' };
usedNames.add('Ingrid Hansen');
// adr-0001 Kirkeveien 64B H0201: two lines (multi-line address), both green for ADSL
const l1 = addLine(addr('adr-0001'), { productCode: 'JARA-ADSL-DELT', speedMbps: 16, operator: 'NextGenTel', endUser: ingrid, loopLengthMeters: 850, recordStatus: 'ok', phoneNumber: '22604411' });
addLine(addr('adr-0001'), { productCode: 'PSTN', operator: 'Telenor', endUser: ingrid, loopLengthMeters: 850, recordStatus: 'ok', phoneNumber: '22604412' });
// adr-0002, the neighbouring flat: shared operator access
const olaBerg: EndUser = { kind: 'person', name: 'Ola Berg', birthDate: '1979-11-02' };
usedNames.add('Ola Berg');
const l3 = addLine(addr('adr-0002'), { productCode: 'OPA-DELT', operator: 'Ice', endUser: olaBerg, loopLengthMeters: 870, recordStatus: 'ok', phoneNumber: '22604520' });
// adr-0003 Karl Johans gate 22: a 100 Mbit/s Ethernet circuit plus ISDN, company
const nordlys: EndUser = { kind: 'company', name: 'Nordlys Regnskap AS', orgNumber: '914778271' };
usedCompanyNames.add(nordlys.name);
addLine(addr('adr-0003'), { productCode: 'SAMB-ETH', speedMbps: 100, operator: 'Telia', endUser: nordlys, recordStatus: 'ok' });
addLine(addr('adr-0003'), { productCode: 'ISDN', operator: 'Telia', endUser: nordlys, loopLengthMeters: 420, recordStatus: 'ok', phoneNumber: '22337810' });
// adr-0004 Kirkegata 15: line record inconsistent → yellow (system error)
const kirkegata: EndUser = { kind: 'company', name: 'Torget Advokatfirma AS', orgNumber: '987614358' };
usedCompanyNames.add(kirkegata.name);
addLine(addr('adr-0004'), { productCode: 'PSTN', operator: 'Telenor', endUser: kirkegata, loopLengthMeters: 380, recordStatus: 'inconsistent', phoneNumber: '22415500' });
// adr-0005 Storgata 10A H0101: the wholesaler's own Online ADSL (switch-ISP losing product)
const nora: EndUser = { kind: 'person', name: 'Nora Bakken', birthDate: '1991-06-23' };
usedNames.add('Nora Bakken');
const l6 = addLine(addr('adr-0005'), { productCode: 'ONLINE-ADSL', speedMbps: 8, operator: 'Telenor', endUser: nora, loopLengthMeters: 1_240, recordStatus: 'ok', phoneNumber: '22171903' });
// adr-0006 Trondheimsveien 235 (zone 2): marginal loop length → yellow (no clear answer) for ADSL
const even: EndUser = { kind: 'person', name: 'Even Strand', birthDate: '1968-01-30' };
usedNames.add('Even Strand');
addLine(addr('adr-0006'), { productCode: 'JARA-ADSL-FULL', speedMbps: 8, operator: 'Telia', endUser: even, loopLengthMeters: 4_720, recordStatus: 'ok', phoneNumber: '22655147' });
// adr-0007 Torgallmenningen 8, Bergen: SDH circuit and PSTN
const bryggen: EndUser = { kind: 'company', name: 'Bryggen Eiendom AS', orgNumber: '976390512' };
usedCompanyNames.add(bryggen.name);
addLine(addr('adr-0007'), { productCode: 'SAMB-SDH', speedMbps: 34, operator: 'Ice', endUser: bryggen, recordStatus: 'ok' });
addLine(addr('adr-0007'), { productCode: 'PSTN', operator: 'Telenor', endUser: bryggen, loopLengthMeters: 610, recordStatus: 'ok', phoneNumber: '55302040' });
// adr-0008 Munkegata 26, Trondheim: full operator access
const sigrid: EndUser = { kind: 'person', name: 'Sigrid Moen', birthDate: '1957-09-14' };
usedNames.add('Sigrid Moen');
const l11 = addLine(addr('adr-0008'), { productCode: 'OPA-FULL', operator: 'Altibox', endUser: sigrid, loopLengthMeters: 990, recordStatus: 'ok', phoneNumber: '73521188' });
// adr-0009 Sognefjellsvegen 12, Lom (zone 3): PSTN only; ADSL → red (no coverage)
const knut: EndUser = { kind: 'person', name: 'Knut Rønning', birthDate: '1949-04-05' };
usedNames.add('Knut Rønning');
addLine(addr('adr-0009'), { productCode: 'PSTN', operator: 'Telenor', endUser: knut, loopLengthMeters: 6_200, recordStatus: 'ok', phoneNumber: '61211734' });
// adr-0010 Kirkegata 15, Stavanger: shared Jara ADSL
const l13 = addLine(addr('adr-0010'), { productCode: 'JARA-ADSL-DELT', speedMbps: 24, operator: 'Eidsiva', endUser: person(), loopLengthMeters: 700, recordStatus: 'ok' });
// adr-0003 gets a third line (PSTN): address search returns three lines
addLine(addr('adr-0003'), { productCode: 'PSTN', operator: 'Telenor', endUser: nordlys, loopLengthMeters: 420, recordStatus: 'ok', phoneNumber: '22337811' });

// ---- The rest, by kind of site --------------------------------------------------------------
function residential(a: Address) {
  const owner = person();
  const r = rng.next();
  if (r < 0.3) addLine(a, { productCode: 'JARA-ADSL-DELT', speedMbps: rng.pick([2, 8, 16, 24]), operator: rng.pick(RESELLERS), endUser: owner });
  else if (r < 0.42) addLine(a, { productCode: 'JARA-ADSL-FULL', speedMbps: rng.pick([8, 16, 24]), operator: rng.pick(RESELLERS), endUser: owner });
  else if (r < 0.55) addLine(a, { productCode: 'ONLINE-ADSL', speedMbps: rng.pick([8, 16]), operator: 'Telenor', endUser: owner });
  else if (r < 0.68) addLine(a, { productCode: 'OPA-DELT', operator: rng.pick(RESELLERS), endUser: owner });
  else if (r < 0.78) addLine(a, { productCode: 'OPA-FULL', operator: rng.pick(RESELLERS), endUser: owner });
  else addLine(a, { productCode: 'PSTN', operator: rng.pick(['Telenor', 'Telenor', 'Telia']), endUser: owner });
  // some homes have a second line (PSTN next to broadband), a few a third
  if (rng.chance(0.15)) addLine(a, { productCode: 'PSTN', operator: 'Telenor', endUser: owner });
  if (rng.chance(0.04)) addLine(a, { productCode: 'ISDN', operator: 'Telenor', endUser: owner });
}

function business(a: Address) {
  const owner = company();
  const r = rng.next();
  if (r < 0.45 && a.zone !== 3) {
    const eth = rng.chance(0.75);
    addLine(a, { productCode: eth ? 'SAMB-ETH' : 'SAMB-SDH', speedMbps: rng.pick(eth ? [2, 10, 34, 100] : [2, 34]), operator: rng.pick(['Telia', 'Ice', 'NextGenTel', 'Telenor']), endUser: owner });
  }
  if (r < 0.7) addLine(a, { productCode: rng.chance(0.5) ? 'ISDN' : 'PSTN', operator: rng.pick(['Telenor', 'Telia']), endUser: owner });
  if (r >= 0.45) addLine(a, { productCode: rng.chance(0.5) ? 'JARA-SHDSL' : 'JARA-ADSL-FULL', speedMbps: rng.pick([2, 8]), operator: rng.pick(RESELLERS), endUser: owner });
}

for (const a of addresses) {
  if (Number(a.id.slice(4)) <= 10 || a.postBox) continue;
  if (a.insa) {
    // technical sites: a fibre circuit to a mast or cabinet
    const eth = rng.chance(0.7);
    addLine(a, { productCode: eth ? 'SAMB-ETH' : 'MORK-FIBER', ...(eth ? { speedMbps: rng.pick([155, 1000]) } : {}), operator: rng.pick(['Ice', 'Telia', 'Telenor']), endUser: company() });
    continue;
  }
  if (!rng.chance(a.zone === 3 ? 0.8 : 0.78)) continue; // some sites have no line yet
  const isBusiness = !a.flat && a.floor !== undefined;
  if (isBusiness) business(a);
  else residential(a);
}

// ---- NRDB authorisations (I-4) --------------------------------------------------------------
const auths: Authorisation[] = [];
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
let seq = 100;
function authorise(l: ExistingLine, opts: { authorisedBy?: string; issuedAt?: string; validDays?: number } = {}): Authorisation {
  const issuedAt = opts.issuedAt ?? addDays('2026-08-01', rng.int(0, 110));
  seq += 1;
  const a: Authorisation = {
    reference: `NRDB-${issuedAt.slice(0, 4)}-${String(seq).padStart(6, '0')}`,
    ...(l.phoneNumber ? { phoneNumber: l.phoneNumber } : {}),
    lineId: l.lineId,
    authorisedBy: opts.authorisedBy ?? l.endUser.name,
    ownerName: l.endUser.name,
    issuedAt,
    validUntil: addDays(issuedAt, opts.validDays ?? 365),
  };
  auths.push(a);
  return a;
}
// Anchors: NRDB-2026-000101 valid, -000102 not the owner, -000103 valid for another line
// (used on the wrong subscription), -000104 expired.
authorise(l6, { issuedAt: '2026-10-01' });
authorise(l1, { authorisedBy: 'Per Hansen', issuedAt: '2026-10-05' });
authorise(l11, { issuedAt: '2026-10-12' });
authorise(l13, { issuedAt: '2025-09-01', validDays: 180 });
void l3;
// the rest: switchable lines (ADSL and operator access, I-1)
const switchable = lines.filter((l) => l.accessType !== undefined && Number(l.addressId.slice(4)) > 10);
for (const l of rng.sample(switchable, 60)) {
  seq += rng.int(0, 40);
  const notOwner = rng.chance(0.08);
  authorise(l, notOwner && l.endUser.kind === 'person' ? { authorisedBy: personName() } : {});
}
// SHDSL lines are switched too (I-5, deck slide 65: "21 dager på Jara SHDSL"): every SHDSL line
// of a reseller gets an authorisation from its owner. Generated after the others, so the random
// draws above (and every earlier line and authorisation) stay as they were.
for (const l of lines.filter((x) => x.productCode === 'JARA-SHDSL' && Number(x.addressId.slice(4)) > 10)) {
  seq += rng.int(0, 40);
  authorise(l, { issuedAt: addDays('2026-10-15', rng.int(0, 30)) });
}
auths.sort((a, b) => a.reference.localeCompare(b.reference));

const jsonLines = <T>(rows: T[]) => `[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`;
writeFileSync(here('./lines.json'), jsonLines(lines));
writeFileSync(here('./authorisations.json'), jsonLines(auths));
console.log(`wrote ${lines.length} lines and ${auths.length} authorisations`);
