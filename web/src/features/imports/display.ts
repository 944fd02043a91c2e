/**
 * How the import preview shows what a row will store: the stored keys (`decision`, `en`, `CN`,
 * `true`) as the words the rest of the app uses for them, in the user's language; and which badge
 * a file value gets in the value-mapping tables once the user's and the server's choices are known.
 */
import { ENTITY_FIELDS, type ImportEntity } from '../../../../src/features/imports/fields.ts';
import { LIST_SEP } from '../../../../src/features/imports/rules.ts';
import { ORDER_STATUSES } from '../../../../src/features/orders/schemas.ts';
import type { PreviewResponse } from '../../../../src/features/imports/schemas.ts';
import { ENTITIES, type EntityName } from '../entities.ts';
import { formatCountry } from '../../app/format.ts';
import { camel } from './parse.ts';

export type DisplayContext = {
  lang: string;
  /** i18next's t and exists. */
  t: (key: string) => string;
  has: (key: string) => boolean;
  vocabLabel: (vocabulary: string, key: unknown) => string;
};

const languageNames = new Map<string, Intl.DisplayNames>();

/** "en" → "English" / "英语"; a tag the browser does not know stays as it is. */
export function languageName(tag: string, lang: string): string {
  try {
    let names = languageNames.get(lang);
    if (!names) languageNames.set(lang, (names = new Intl.DisplayNames([lang], { type: 'language' })));
    return names.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** The i18n enum name the app's own screens use for this field (`enum.<name>.<key>`), if any. */
function enumName(entity: ImportEntity, key: string): string | undefined {
  if (entity === 'orders') return key === 'status' ? 'orderStatus' : undefined;
  return ENTITIES[entity as EntityName]?.fields.find((f) => f.key === camel(key))?.enumName;
}

/** A preview cell: the value a row will store, as words. */
export function previewValue(entity: ImportEntity, key: string, raw: string | null | undefined, ctx: DisplayContext): string {
  if (raw === null || raw === undefined || raw === '') return '';
  const type = ENTITY_FIELDS[entity].find((f) => f.key === key)?.type;
  if (key === 'language' && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(raw)) return languageName(raw, ctx.lang);
  if (entity === 'orders' && key === 'status' && (ORDER_STATUSES as readonly string[]).includes(raw)) return ctx.t(`enum.orderStatus.${raw}`);
  switch (type?.kind) {
    case 'vocab':
      return ctx.vocabLabel(type.vocabulary, raw);
    case 'enum': {
      const name = enumName(entity, key);
      if (name && ctx.has(`enum.${name}.${raw}`)) return ctx.t(`enum.${name}.${raw}`);
      return type.choices.find((c) => c.key === raw)?.labels[0] ?? raw;
    }
    case 'country':
      return formatCountry(raw, ctx.lang);
    case 'bool':
      return raw === 'true' ? ctx.t('common.yes') : raw === 'false' ? ctx.t('common.no') : raw;
    case 'list':
      return raw.split(LIST_SEP).join(', ');
    case 'scale':
      return raw === 'dk' && ctx.has('import.dontKnow') ? ctx.t('import.dontKnow') : raw;
    default:
      if (key.startsWith('custom.') && (raw === 'true' || raw === 'false')) return ctx.t(raw === 'true' ? 'common.yes' : 'common.no');
      return raw;
  }
}

export type MatchBadge = 'exact' | 'case' | 'label' | 'status' | 'chosen' | 'none';

/**
 * The badge of a file value in the mapping tables: how it matched, or — when the server found no
 * term — where it goes now: a won/lost status (a stage column's "Closed Won", by the server's
 * suggestion or the user's choice), a term or new term the user chose; "no match" only while it
 * has no place (or is left empty on purpose).
 */
export function matchBadge(value: Pick<PreviewResponse['values'][number]['values'][number], 'match'>, choice: string | undefined): MatchBadge {
  if (value.match !== 'none') return value.match;
  if (choice === undefined || choice === '') return 'none';
  return choice.startsWith('status:') ? 'status' : 'chosen';
}

export const MATCH_COLORS: Record<MatchBadge, string> = { exact: 'blue', case: 'blue', label: 'blue', status: 'teal', chosen: 'indigo', none: 'red' };
