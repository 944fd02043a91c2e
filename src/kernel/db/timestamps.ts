/**
 * PostgreSQL's text form of a timestamp ('2026-12-02 18:04:39.123456+00', the offset following the
 * session's TimeZone) as the one format the API promises: ISO 8601 in UTC with milliseconds
 * ('2026-12-02T18:04:39.123Z'). Both database modes parse through here, so PGlite and PostgreSQL
 * give the same string. Microseconds are cut, not rounded, so a value never moves past the next
 * millisecond. `infinity` and years outside 0000–9999 are left as PostgreSQL wrote them.
 */
const TS = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(?:([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?|Z)?$/;

export function parseTimestamp(v: string): string {
  const m = TS.exec(v);
  if (!m) return v;
  const [, y, mo, d, h, mi, s, frac, sign, oh, om, os] = m;
  const ms = Number((frac ?? '').padEnd(3, '0').slice(0, 3));
  const offset = sign ? (sign === '-' ? -1 : 1) * ((Number(oh) * 60 + Number(om ?? 0)) * 60 + Number(os ?? 0)) * 1000 : 0;
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms) - offset;
  const out = new Date(t);
  // Date.UTC maps years 0–99 to 1900–1999.
  if (Number(y) < 100) out.setUTCFullYear(out.getUTCFullYear() - 1900);
  return out.toISOString();
}
