/**
 * What the web app knows about each record type: its fields, how to show and edit them, and the
 * zod schema for its create form. Generic screens (list, record page, create form, filters, bulk
 * edit) are driven by these definitions so every entity behaves the same way.
 */
import { z } from 'zod';
import { accountCreate, accountUpdate } from '../../../src/features/accounts/schemas.ts';
import { contactCreate, contactUpdate } from '../../../src/features/contacts/schemas.ts';
import { opportunityCreate, opportunityUpdate } from '../../../src/features/opportunities/schemas.ts';
import { interactionCreate, interactionUpdate } from '../../../src/features/interactions/schemas.ts';
import { taskCreate, taskUpdate } from '../../../src/features/tasks/schemas.ts';
import { withScheme } from '../../../src/kernel/http-schemas.ts';
import { LIST_DEFAULT_SORT } from './records/listQuery.ts';
import { taskViewFilters } from './tasks/views.ts';
import type { Filter } from '../app/query.ts';
import { PLACEMENTS } from '../../../src/features/surveys/rules.ts';
import { ACCOUNT_KINDS, AISAS_STEPS, PORTFOLIO_TYPES, PRICE_ORIENTATIONS, type Vocabulary } from '../../../src/features/vocabularies/defaults.ts';

export type FieldType =
  | 'text' | 'longtext' | 'email' | 'url' | 'number' | 'money' | 'currency' | 'percent' | 'date' | 'datetime'
  | 'vocab' | 'enum' | 'bool' | 'user' | 'ref' | 'tags' | 'country'
  /** who took part in an interaction: `{ contacts: [{id, name}], users: [{id, name}] }`, read-only */
  | 'people';

export type FieldDef = {
  key: string;
  type: FieldType;
  vocab?: Vocabulary;
  /** enum values; labels come from i18n `enum.<enumName>.<value>` */
  options?: readonly string[];
  enumName?: string;
  /** an enum whose stored values are numbers (task priority 1–3): the select's text keys are sent as numbers */
  numeric?: boolean;
  ref?: EntityName;
  /** for money: the field holding the currency */
  currencyField?: string;
  required?: boolean;
  readOnly?: boolean;
  /** included in the create form */
  create?: boolean;
  width?: number;
  /** a custom field (stored under record.custom) */
  custom?: boolean;
  /** i18n label for custom fields (per locale) */
  label?: Record<string, string>;
  /** a due time: shown in red with an "overdue" flag when the record is open and the time has passed */
  flagOverdue?: boolean;
  /** shown as the evaluation feature's badge with its "why" popover (reasons from `fitReasons` / `winReasons`) */
  badge?: 'fit' | 'win';
};

/**
 * The read-only name the server sends beside a reference id (`accountName` for `accountId`,
 * `ownerName` for `ownerId`); lists show, sort and filter by it.
 */
export const nameKey = (key: string) => key.replace(/Id$/, 'Name');

export type EntityName = 'accounts' | 'contacts' | 'opportunities' | 'interactions' | 'tasks';
export type EntityDef = {
  name: EntityName;
  /** singular, used for custom-field entity names and routes */
  single: 'account' | 'contact' | 'opportunity' | 'interaction' | 'task';
  titleField: string;
  fields: FieldDef[];
  defaultColumns: string[];
  defaultSort: string;
  /** the filters a new list opens with; the value `@me` stands for the signed-in user */
  defaultFilters?: Filter[];
  ownerField?: string;
  /** fields bulk edit may set */
  bulk: string[];
};

const ro = { readOnly: true } as const;
const c = { create: true } as const;

export const STATUS = ['open', 'won', 'lost'] as const;
export const TASK_STATUS = ['open', 'done', 'cancelled'] as const;
export const TASK_KIND = ['task', 'next_step', 'promise'] as const;
export const TASK_PRIORITY = ['1', '2', '3'] as const;
export const DIRECTION = ['outbound', 'inbound', 'internal'] as const;
export const CONSENT = ['unknown', 'granted', 'denied'] as const;

const meta: FieldDef[] = [
  { key: 'createdAt', type: 'datetime', ...ro },
  { key: 'updatedAt', type: 'datetime', ...ro },
];

export const ENTITIES: Record<EntityName, EntityDef> = {
  accounts: {
    name: 'accounts',
    single: 'account',
    titleField: 'name',
    defaultSort: LIST_DEFAULT_SORT.accounts,
    ownerField: 'ownerId',
    defaultColumns: ['name', 'kind', 'fitScore', 'country', 'industry', 'needType', 'supplierStatus', 'ownerId', 'employees', 'updatedAt'],
    bulk: ['ownerId', 'kind', 'needType', 'supplierStatus', 'relationshipDepth', 'industry', 'country'],
    fields: [
      { key: 'name', type: 'text', required: true, ...c, width: 240 },
      { key: 'kind', type: 'enum', options: ACCOUNT_KINDS, enumName: 'accountKind', ...c },
      { key: 'industry', type: 'vocab', vocab: 'industry', ...c },
      { key: 'country', type: 'country', ...c, width: 130 },
      { key: 'city', type: 'text', ...c },
      { key: 'region', type: 'text' },
      { key: 'website', type: 'url', ...c },
      { key: 'domain', type: 'text' },
      { key: 'phone', type: 'text' },
      { key: 'address', type: 'text' },
      { key: 'employees', type: 'number', ...c, width: 110 },
      { key: 'annualRevenue', type: 'money', currencyField: 'demandCurrency' },
      { key: 'totalAnnualDemand', type: 'money', currencyField: 'demandCurrency' },
      { key: 'demandCurrency', type: 'currency' },
      { key: 'ownerId', type: 'user', ...c },
      { key: 'needType', type: 'vocab', vocab: 'need_type', ...c },
      { key: 'priceOrientation', type: 'enum', options: PRICE_ORIENTATIONS, enumName: 'priceOrientation' },
      { key: 'supplierStatus', type: 'vocab', vocab: 'supplier_status' },
      { key: 'relationshipDepth', type: 'vocab', vocab: 'relationship_depth' },
      { key: 'source', type: 'vocab', vocab: 'lead_source' },
      { key: 'aisasStep', type: 'enum', options: AISAS_STEPS, enumName: 'aisas' },
      { key: 'tags', type: 'tags' },
      { key: 'tier', type: 'text', ...ro },
      { key: 'buyingStage', type: 'vocab', vocab: 'buying_stage', ...ro },
      { key: 'fitScore', type: 'number', badge: 'fit', width: 110, ...ro },
      { key: 'portfolioType', type: 'enum', options: PORTFOLIO_TYPES, enumName: 'portfolio', ...ro },
      // Engagement (features/surveys): the survey roll-up's level and NPS.
      { key: 'engagementLevel', type: 'enum', options: PLACEMENTS, enumName: 'engagement', width: 150, ...ro },
      { key: 'nps', type: 'number', width: 90, ...ro },
      ...meta,
    ],
  },
  contacts: {
    name: 'contacts',
    single: 'contact',
    titleField: 'fullName',
    defaultSort: LIST_DEFAULT_SORT.contacts,
    ownerField: 'ownerId',
    defaultColumns: ['fullName', 'accountId', 'title', 'department', 'email', 'phone', 'country', 'ownerId', 'updatedAt'],
    bulk: ['ownerId', 'department', 'consent', 'doNotEmail', 'country', 'language'],
    fields: [
      { key: 'fullName', type: 'text', required: true, ...c, width: 200 },
      { key: 'accountId', type: 'ref', ref: 'accounts', ...c, width: 200 },
      { key: 'firstName', type: 'text' },
      { key: 'lastName', type: 'text' },
      { key: 'title', type: 'text', ...c },
      { key: 'department', type: 'text', ...c },
      { key: 'email', type: 'email', ...c, width: 220 },
      { key: 'phone', type: 'text', ...c },
      { key: 'mobile', type: 'text' },
      { key: 'language', type: 'text' },
      { key: 'country', type: 'country' },
      { key: 'city', type: 'text' },
      { key: 'consent', type: 'enum', options: CONSENT, enumName: 'consent' },
      { key: 'doNotEmail', type: 'bool' },
      { key: 'ownerId', type: 'user' },
      { key: 'source', type: 'vocab', vocab: 'lead_source' },
      { key: 'aisasStep', type: 'enum', options: AISAS_STEPS, enumName: 'aisas' },
      { key: 'tags', type: 'tags' },
      // Engagement (features/surveys): the latest survey answer's placement and 0–10 score.
      { key: 'engagementLevel', type: 'enum', options: PLACEMENTS, enumName: 'engagement', width: 150, ...ro },
      { key: 'npsScore', type: 'number', width: 100, ...ro },
      ...meta,
    ],
  },
  opportunities: {
    name: 'opportunities',
    single: 'opportunity',
    titleField: 'name',
    defaultSort: LIST_DEFAULT_SORT.opportunities,
    ownerField: 'ownerId',
    defaultColumns: ['name', 'accountId', 'buyingStage', 'status', 'winProbability', 'amount', 'expectedClose', 'ownerId', 'updatedAt'],
    bulk: ['ownerId', 'buyingStage', 'status', 'needType', 'buyingSituation'],
    fields: [
      { key: 'name', type: 'text', required: true, ...c, width: 240 },
      { key: 'accountId', type: 'ref', ref: 'accounts', required: true, ...c, width: 200 },
      { key: 'buyingStage', type: 'vocab', vocab: 'buying_stage', required: true, ...c, width: 170 },
      { key: 'status', type: 'enum', options: STATUS, enumName: 'status', width: 100 },
      { key: 'amount', type: 'money', currencyField: 'currency', ...c, width: 130 },
      { key: 'currency', type: 'currency', ...c },
      { key: 'expectedClose', type: 'date', ...c },
      { key: 'buyingSituation', type: 'vocab', vocab: 'buying_situation', ...c },
      { key: 'needType', type: 'vocab', vocab: 'need_type' },
      { key: 'lostReason', type: 'vocab', vocab: 'lost_reason' },
      { key: 'ownerId', type: 'user', ...c },
      { key: 'source', type: 'vocab', vocab: 'lead_source' },
      { key: 'competitors', type: 'tags' },
      { key: 'tags', type: 'tags' },
      { key: 'winProbability', type: 'percent', badge: 'win', width: 130, ...ro },
      { key: 'stageEnteredAt', type: 'datetime', ...ro },
      ...meta,
    ],
  },
  interactions: {
    name: 'interactions',
    single: 'interaction',
    titleField: 'subject',
    defaultSort: LIST_DEFAULT_SORT.interactions,
    ownerField: 'ownerId',
    defaultColumns: ['occurredAt', 'kind', 'subject', 'participants', 'accountId', 'opportunityId', 'direction', 'ownerId'],
    bulk: ['ownerId', 'kind', 'aisasStep'],
    fields: [
      { key: 'subject', type: 'text', ...c, width: 260 },
      { key: 'kind', type: 'vocab', vocab: 'interaction_kind', required: true, ...c },
      { key: 'occurredAt', type: 'datetime', required: true, ...c, width: 190 },
      { key: 'accountId', type: 'ref', ref: 'accounts', required: true, ...c, width: 200 },
      { key: 'opportunityId', type: 'ref', ref: 'opportunities', ...c, width: 200 },
      { key: 'direction', type: 'enum', options: DIRECTION, enumName: 'direction', ...c },
      { key: 'body', type: 'longtext', ...c },
      { key: 'durationMinutes', type: 'number' },
      { key: 'aisasStep', type: 'enum', options: AISAS_STEPS, enumName: 'aisas' },
      { key: 'ownerId', type: 'user' },
      { key: 'participants', type: 'people', width: 240, ...ro },
      ...meta,
    ],
  },
  tasks: {
    name: 'tasks',
    single: 'task',
    titleField: 'title',
    defaultSort: LIST_DEFAULT_SORT.tasks,
    // A to-do list: my open tasks, soonest due first (done and cancelled ones are one click away).
    defaultFilters: taskViewFilters('mine', '@me'),
    ownerField: 'assigneeId',
    defaultColumns: ['title', 'kind', 'status', 'priority', 'dueAt', 'assigneeId', 'accountId', 'opportunityId', 'contactId'],
    bulk: ['assigneeId', 'status', 'priority', 'kind'],
    fields: [
      { key: 'title', type: 'text', required: true, ...c, width: 240 },
      { key: 'kind', type: 'enum', options: TASK_KIND, enumName: 'taskKind', ...c, width: 110 },
      { key: 'status', type: 'enum', options: TASK_STATUS, enumName: 'taskStatus', width: 110 },
      { key: 'priority', type: 'enum', options: TASK_PRIORITY, enumName: 'priority', numeric: true, ...c, width: 100 },
      { key: 'dueAt', type: 'datetime', flagOverdue: true, ...c, width: 250 },
      { key: 'assigneeId', type: 'user', ...c, width: 130 },
      { key: 'accountId', type: 'ref', ref: 'accounts', ...c, width: 190 },
      { key: 'opportunityId', type: 'ref', ref: 'opportunities', ...c, width: 190 },
      { key: 'contactId', type: 'ref', ref: 'contacts', ...c, width: 160 },
      { key: 'description', type: 'longtext', ...c },
      { key: 'completedAt', type: 'datetime', ...ro },
      ...meta,
    ],
  },
};

export function fieldOf(entity: EntityDef, key: string): FieldDef | undefined {
  return entity.fields.find((f) => f.key === key);
}

/** Value of a field on a record, custom fields included. */
export function readField(record: Record<string, unknown>, field: Pick<FieldDef, 'key' | 'custom'>): unknown {
  if (field.custom) return (record.custom as Record<string, unknown> | undefined)?.[field.key];
  return record[field.key];
}

/** Patch body for one field, custom fields nested under `custom`. */
export function patchFor(field: Pick<FieldDef, 'key' | 'custom'>, value: unknown): Record<string, unknown> {
  return field.custom ? { custom: { [field.key]: value } } : { [field.key]: value };
}

/** Name of the filter/sort parameter for a field. */
export function paramName(field: Pick<FieldDef, 'key' | 'custom'>): string {
  return field.custom ? `custom.${field.key}` : field.key;
}

export type CustomFieldDef = {
  id: string;
  entity: string;
  key: string;
  label: Record<string, string> | string;
  type: 'text' | 'number' | 'date' | 'select' | 'multiselect' | 'boolean';
  options: string[];
  required: boolean;
};

export function customToField(cf: CustomFieldDef): FieldDef {
  const type: FieldType = cf.type === 'boolean' ? 'bool' : cf.type === 'select' ? 'enum' : cf.type === 'multiselect' ? 'tags' : cf.type;
  const label = typeof cf.label === 'string' ? { en: cf.label } : cf.label;
  return { key: cf.key, type, custom: true, label, options: cf.options, required: cf.required, create: cf.required };
}

/**
 * The create-form schema of an entity, derived from its field definitions; when the server's
 * shared schema (src/features/<x>/schemas.ts) lands it replaces this one.
 */
export function createSchema(fields: FieldDef[], messages: { required: string; email: string; url: string; number: string }) {
  const shape: Record<string, z.ZodType> = {};
  for (const f of fields) {
    if (f.readOnly || f.custom) continue;
    let s: z.ZodType;
    switch (f.type) {
      case 'email':
        s = z.union([z.literal(''), z.email({ message: messages.email })]);
        break;
      case 'url':
        s = z.union([z.literal(''), z.string().trim().transform(withScheme).pipe(z.url({ message: messages.url }))]);
        break;
      case 'number':
      case 'percent':
        s = z.union([z.literal(''), z.null(), z.number({ message: messages.number })]);
        break;
      case 'money':
        // The API sends amounts as decimal strings ("128000.00"); the number input gives numbers.
        s = z.union([z.literal(''), z.null(), z.number({ message: messages.number }), z.string().regex(/^-?\d+(\.\d+)?$/, { message: messages.number })]);
        break;
      case 'enum':
        s = f.numeric ? z.union([z.null(), z.number({ message: messages.number }).int()]) : z.union([z.string(), z.null()]);
        break;
      case 'bool':
        s = z.boolean();
        break;
      case 'tags':
        s = z.array(z.string());
        break;
      default:
        s = z.union([z.string(), z.null()]);
    }
    if (f.required) {
      s = f.type === 'number' || f.type === 'money'
        ? z.number({ message: messages.required })
        : z.string({ message: messages.required }).trim().min(1, { message: messages.required });
    }
    shape[f.key] = f.required ? s : s.optional();
  }
  return z.object(shape);
}

/**
 * The server's own zod schemas (src/features/<x>/schemas.ts): forms validate with exactly what the
 * API will check. Entities whose schema has not landed yet fall back to `createSchema` above.
 */
export const SERVER_SCHEMAS: Partial<Record<EntityName, { create: z.ZodType; update: z.ZodType }>> = {
  accounts: { create: accountCreate, update: accountUpdate },
  contacts: { create: contactCreate, update: contactUpdate },
  opportunities: { create: opportunityCreate, update: opportunityUpdate },
  interactions: { create: interactionCreate, update: interactionUpdate },
  tasks: { create: taskCreate, update: taskUpdate },
};
