// Seed data: two reseller companies with a user of every access type, two handlers, one ops user
// (backbone issue). Passwords come from SEED_PASSWORD (development default documented in README).
import { hashPassword, type ScryptParams } from '../api/passwords';
import type { Sql } from './client';

export const DEFAULT_SEED_PASSWORD = 'samband-dev';

export const SEED_COMPANIES = [
  { id: 'nordnett', name: 'Nordnett AS', orgNumber: '912345670', kind: 'reseller' },
  { id: 'fjordtel', name: 'Fjordtel AS', orgNumber: '923456781', kind: 'reseller' },
  { id: 'wholesaler', name: 'Grossist Nett AS', orgNumber: '934567892', kind: 'wholesaler' },
] as const;

type SeedUser = {
  username: string;
  fullName: string;
  email: string;
  phone?: string;
  role: 'reseller' | 'superuser' | 'handler' | 'ops';
  accessType?: 'read' | 'ordering' | 'full';
  /** trainings had (default: what the access type needs, plus the fault module for ordering and full access) */
  training?: ('ordering' | 'full' | 'fault')[];
  companyId?: string;
  department?: string;
  locale?: 'nb' | 'en';
};

export const SEED_USERS: SeedUser[] = [
  { username: 'kari.nordnett', fullName: 'Kari Nordmann', email: 'kari@nordnett.example', role: 'reseller', accessType: 'read', companyId: 'nordnett' },
  { username: 'ola.nordnett', fullName: 'Ola Hansen', email: 'ola@nordnett.example', phone: '91234567', role: 'reseller', accessType: 'ordering', companyId: 'nordnett' },
  { username: 'ingrid.nordnett', fullName: 'Ingrid Berg', email: 'ingrid@nordnett.example', phone: '92345678', role: 'reseller', accessType: 'full', companyId: 'nordnett' },
  { username: 'per.nordnett', fullName: 'Per Johansen', email: 'per@nordnett.example', phone: '93456789', role: 'superuser', accessType: 'full', companyId: 'nordnett', locale: 'en' },
  { username: 'lise.fjordtel', fullName: 'Lise Larsen', email: 'lise@fjordtel.example', role: 'reseller', accessType: 'read', companyId: 'fjordtel' },
  { username: 'nils.fjordtel', fullName: 'Nils Olsen', email: 'nils@fjordtel.example', phone: '94567890', role: 'reseller', accessType: 'ordering', companyId: 'fjordtel' },
  { username: 'anne.fjordtel', fullName: 'Anne Pedersen', email: 'anne@fjordtel.example', phone: '95678901', role: 'reseller', accessType: 'full', companyId: 'fjordtel' },
  { username: 'hanne.handler', fullName: 'Hanne Kundeservice', email: 'hanne@grossist.example', role: 'handler', department: 'customer-service' },
  { username: 'henrik.handler', fullName: 'Henrik Salgsstøtte', email: 'henrik@grossist.example', role: 'handler', department: 'sales-support' },
  { username: 'olav.ops', fullName: 'Olav Drift', email: 'olav@grossist.example', role: 'ops' },
];

/** O-18: the companies' contact entries: a shared customer-service address and a personal one that opted in. */
export const SEED_CONTACTS = [
  { companyId: 'nordnett', name: 'Nordnett kundeservice', email: 'kundeservice@nordnett.example', kind: 'shared', notifyAll: false, locale: 'nb' },
  { companyId: 'nordnett', name: 'Ola Hansen', email: 'ola@nordnett.example', kind: 'personal', notifyAll: true, locale: 'nb' },
  { companyId: 'fjordtel', name: 'Fjordtel customer service', email: 'support@fjordtel.example', kind: 'shared', notifyAll: false, locale: 'en' },
] as const;

/** a seed user has had the trainings their access needs; ordering and full access users also the fault module (M-2). */
function defaultTraining(u: SeedUser): ('ordering' | 'full' | 'fault')[] {
  if (u.accessType === 'full') return ['ordering', 'full', 'fault'];
  if (u.accessType === 'ordering') return ['ordering', 'fault'];
  return [];
}

/** `hashing`: scrypt parameters of the seed users' hash; unset → production's (only tests pass cheaper ones). */
export async function seed(sql: Sql, password: string, options: { hashing?: ScryptParams } = {}): Promise<void> {
  for (const c of SEED_COMPANIES) {
    await sql`INSERT INTO companies (id, name, org_number, kind) VALUES (${c.id}, ${c.name}, ${c.orgNumber}, ${c.kind})
              ON CONFLICT (id) DO NOTHING`;
  }
  const existing = new Set((await sql<{ username: string }[]>`SELECT username FROM users`).map((u) => u.username));
  // every seed user has the same password: one hash (~0.1–0.5 s at production cost) serves them all
  let hash: string | undefined;
  for (const u of SEED_USERS.filter((u) => !existing.has(u.username))) {
    hash ??= await hashPassword(password, options.hashing);
    await sql`INSERT INTO users (username, full_name, email, phone, password_hash, role, access_type, training, company_id, department, locale)
              VALUES (${u.username}, ${u.fullName}, ${u.email}, ${u.phone ?? null}, ${hash}, ${u.role}, ${u.accessType ?? null}, ${u.training ?? defaultTraining(u)},
                      ${u.companyId ?? null}, ${u.department ?? null}, ${u.locale ?? 'nb'})
              ON CONFLICT (username) DO NOTHING`;
  }
  await (await import('./portfolio-seed')).seedPortfolio(sql); // M-1: delivered products (portfolio issue)
  for (const c of SEED_CONTACTS) {
    await sql`INSERT INTO contacts (company_id, name, email, kind, notify_all_status_changes, locale)
              VALUES (${c.companyId}, ${c.name}, ${c.email}, ${c.kind}, ${c.notifyAll}, ${c.locale})
              ON CONFLICT (company_id, email) DO NOTHING`;
  }
}
