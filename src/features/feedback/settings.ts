/** The organization's service calendar and complaint deadlines (`organizations.settings.service`). */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../kernel/db/index.ts';
import type { OrgSetting } from '../../kernel/org-settings.ts';
import { DEFAULT_SERVICE_SETTINGS, SEVERITIES, type DayHours, type ServiceSettings } from './rules.ts';

const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);

/** The stored setting with defaults filled in; anything malformed falls back to the default. */
export function serviceSettings(raw: Record<string, unknown> | null | undefined): ServiceSettings {
  const s = (raw?.service ?? {}) as Partial<Record<keyof ServiceSettings, unknown>>;
  const d = DEFAULT_SERVICE_SETTINGS;
  const week = Array.isArray(s.week) && s.week.length === 7 ? (s.week as DayHours[]) : d.week;
  const perSev = (v: unknown, dv: ServiceSettings['responseHours']) =>
    Object.fromEntries(SEVERITIES.map((k) => [k, num((v as Record<string, unknown> | undefined)?.[k], dv[k])])) as ServiceSettings['responseHours'];
  return {
    utcOffsetMinutes: num(s.utcOffsetMinutes, d.utcOffsetMinutes),
    week,
    holidays: Array.isArray(s.holidays) ? (s.holidays as string[]) : d.holidays,
    responseHours: perSev(s.responseHours, d.responseHours),
    resolutionHours: perSev(s.resolutionHours, d.resolutionHours),
    warnAt: num(s.warnAt, d.warnAt),
  };
}

export const SERVICE: OrgSetting<ServiceSettings, ServiceSettings & { version: number }> = {
  key: 'service',
  entity: 'service_settings',
  read: serviceSettings,
  show: (v, version) => ({ ...v, version }),
};

export async function loadServiceSettings(db: DbOrTx, orgId: string): Promise<ServiceSettings> {
  const r = (await db.execute(sql`select settings from organizations where id = ${orgId}`)) as unknown as { rows: { settings: Record<string, unknown> | string | null }[] };
  const raw = r.rows[0]?.settings;
  return serviceSettings(typeof raw === 'string' ? (JSON.parse(raw) as Record<string, unknown>) : raw);
}

/** How much faster a complaint on this channel must be handled (the channel term's meta.slaFactor; 1 when unset). */
export async function channelFactor(db: DbOrTx, orgId: string, channel: string): Promise<number> {
  const r = (await db.execute(sql`select meta from vocab_terms where org_id = ${orgId} and vocabulary = 'feedback_channel' and key = ${channel}`)) as unknown as { rows: { meta: Record<string, unknown> | string | null }[] };
  const m = r.rows[0]?.meta;
  const meta = typeof m === 'string' ? (JSON.parse(m) as Record<string, unknown>) : m;
  const f = meta?.slaFactor;
  return typeof f === 'number' && f > 0 ? f : 1;
}
