/**
 * The demo organization: "Lumina Lighting Co. / 明辉照明", an LED-lighting exporter in Shenzhen,
 * with two years of history — accounts, buying centers, deals won and lost, interactions, orders.
 *
 * Set-based: each batch of accounts is built in JS from a seeded PRNG and loaded with COPY, table
 * by table, so 300 accounts take well under a second and a million stay a matter of minutes.
 * Deterministic: account i draws from its own PRNG stream, so a seed, a `now` and N give the same
 * rows every time (and N=300 is a prefix of N=1000).
 */
import { seedCatalogue } from './catalogue.ts';
import { seedDemoSurveys } from '../surveys/demo.ts';
import { hash } from '@node-rs/argon2';
import type { Conn, Database } from '../../kernel/db/index.ts';
import { organizations, stageExitCriteria, stageGoals, users } from '../../db/schema/index.ts';
import { syncLoginEmails } from '../users/commands.ts';
import { Rng, hashString } from './prng.ts';
import {
  COMPANY, COMPETITORS, CONTAINER_USD, COUNTRIES, DEAL_PURPOSES, EUR_USD, JOBS, PEOPLE, PRODUCTS, TRADE_FAIRS,
  type Country, type Group, type JobFamily, type Team,
} from './data.ts';
import { DEFAULT_STAGE_EXIT_CRITERIA, seedVocabularies } from './vocabularies.ts';
import { seedDemoFeedback } from '../feedback/demo.ts';

export const DEMO_PASSWORD = 'accord-demo';
export const DEFAULT_DEMO_ACCOUNTS = 300;
export const DEFAULT_DEMO_SEED = 20240101;
export const DEMO_EMAIL_DOMAIN = 'accord.demo';
export const DEMO_ORG_NAME = 'Lumina Lighting Co. / 明辉照明';
export const DEMO_SLUG = 'lumina-lighting';

export type DemoPhase = 'setup' | 'accounts' | 'done';

export interface DemoOptions {
  /** Number of customer/prospect/partner accounts (default 300). */
  accounts?: number;
  seed?: number;
  orgName?: string;
  /** Default `lumina-lighting`, suffixed -2, -3… when taken. */
  slug?: string;
  /** Users get <login>@<emailDomain>; default accord.demo, or demoN.accord.demo when taken. */
  emailDomain?: string;
  /** History runs over the two years before this instant (default: the current time). */
  now?: Date | string | number;
  /** Accounts per COPY batch (default 5,000); does not change the data. */
  batchSize?: number;
  /**
   * Bulk mode for benchmarks: loads with `session_replication_role = replica`, which skips the
   * foreign-key triggers (the generator's rows are consistent by construction; the tests prove it
   * with checks on). Needs a superuser; falls back to checked loading when refused. Default false.
   */
  fastLoad?: boolean;
  /**
   * Benchmarks: this many more account-level interactions per account (default 0, which leaves the
   * demo as it is). The generator gives ~9 per account; 1 more puts 100k accounts at the 1M
   * interactions the recompute target is stated for.
   */
  extraTouches?: number;
  onProgress?: (done: number, total: number, phase: DemoPhase) => void;
}

export interface DemoLogin {
  email: string;
  password: string;
  role: 'admin' | 'manager' | 'rep' | 'viewer';
  name: string;
}

export interface DemoResult {
  orgId: string;
  slug: string;
  orgName: string;
  logins: DemoLogin[];
  /** Rows written per table. */
  counts: Record<string, number>;
  ms: number;
  /** Milliseconds spent per phase: `generate` (JS, wall), `csv`, and each table's COPY. */
  timings: Record<string, number>;
  fastLoad: boolean;
}

const DAY = 86_400_000;
/** Time field of the generated UUIDv7s: fixed, so ids do not depend on when the generator ran. */
const ID_BASE_MS = Date.UTC(2024, 0, 1);
const HISTORY_DAYS = 730;
const STAGES = ['recognition_of_needs', 'evaluation_of_options', 'resolution_of_concerns', 'decision', 'implementation'] as const;

// ── Users of the selling company ────────────────────────────────────────────

type Role = DemoLogin['role'];
interface UserSpec { first: string; last: string; role: Role; department: string; team: Team | null; locale: string; login?: string }

const USER_SPECS: UserSpec[] = [
  { first: 'Ming', last: 'Chen', role: 'admin', department: 'management', team: null, locale: 'zh-CN', login: 'admin' },
  { first: 'Grace', last: 'Liu', role: 'manager', department: 'sales', team: null, locale: 'en', login: 'manager' },
  { first: 'David', last: 'Wu', role: 'manager', department: 'marketing', team: null, locale: 'zh-CN' },
  { first: 'Anna', last: 'Zhou', role: 'rep', department: 'sales', team: 'Europe', locale: 'en', login: 'rep' },
  { first: 'Leo', last: 'Wang', role: 'rep', department: 'sales', team: 'Europe', locale: 'en' },
  { first: 'Sophie', last: 'Lin', role: 'rep', department: 'sales', team: 'Europe', locale: 'en' },
  { first: 'Jason', last: 'Li', role: 'rep', department: 'sales', team: 'Americas', locale: 'en' },
  { first: 'Emma', last: 'Xu', role: 'rep', department: 'sales', team: 'Americas', locale: 'en' },
  { first: 'Tony', last: 'Guo', role: 'rep', department: 'sales', team: 'Asia-Pacific', locale: 'zh-CN' },
  { first: 'Cindy', last: 'Ma', role: 'rep', department: 'sales', team: 'Asia-Pacific', locale: 'zh-TW' },
  { first: 'Sam', last: 'He', role: 'rep', department: 'sales', team: 'Middle East & Africa', locale: 'en' },
  { first: 'Iris', last: 'Yang', role: 'rep', department: 'marketing', team: null, locale: 'zh-CN' },
  { first: 'Nina', last: 'Feng', role: 'rep', department: 'marketing', team: null, locale: 'en' },
  { first: 'Frank', last: 'Deng', role: 'rep', department: 'service', team: null, locale: 'zh-CN' },
  { first: 'Eric', last: 'Luo', role: 'rep', department: 'technical', team: null, locale: 'zh-CN' },
  { first: 'Helen', last: 'Zhao', role: 'rep', department: 'finance', team: null, locale: 'zh-CN' },
  { first: 'Peter', last: 'Tan', role: 'viewer', department: 'finance', team: null, locale: 'en', login: 'viewer' },
];

const userEmail = (u: UserSpec, domain: string) => `${u.login ?? `${u.first}.${u.last}`.toLowerCase()}@${domain}`;

/** The demo logins for an email domain (what `npm start` prints after a first start). */
export function demoLogins(emailDomain = DEMO_EMAIL_DOMAIN): DemoLogin[] {
  return USER_SPECS.filter((u) => u.login).map((u) => ({
    email: userEmail(u, emailDomain),
    password: DEMO_PASSWORD,
    role: u.role,
    name: `${u.first} ${u.last}`,
  }));
}

interface Staff {
  admin: string;
  salesDirector: string;
  marketingHead: string;
  repsByTeam: Record<Team, string[]>;
  marketing: string[];
  service: string;
  technical: string;
  finance: string;
}

// ── Tables and their COPY columns ───────────────────────────────────────────

const COLUMNS = {
  accounts: ['org_id', 'id', 'name', 'kind', 'domain', 'website', 'industry', 'country', 'region', 'city', 'address', 'phone', 'employees', 'annual_revenue', 'total_annual_demand', 'demand_currency', 'demand_estimated', 'owner_id', 'need_type', 'price_orientation', 'supplier_status', 'relationship_depth', 'source', 'aisas_step', 'tags', 'created_at', 'updated_at', 'created_by', 'updated_by'],
  account_status_history: ['org_id', 'id', 'account_id', 'field', 'from_value', 'to_value', 'changed_at', 'changed_by', 'note'],
  contacts: ['org_id', 'id', 'account_id', 'first_name', 'last_name', 'full_name', 'title', 'department', 'language', 'email', 'phone', 'mobile', 'country', 'city', 'consent', 'do_not_email', 'owner_id', 'source', 'aisas_step', 'created_at', 'updated_at', 'created_by'],
  contact_links: ['org_id', 'id', 'from_contact_id', 'to_contact_id', 'link_type', 'strength', 'note', 'created_at', 'updated_at'],
  opportunities: ['org_id', 'id', 'account_id', 'name', 'amount', 'currency', 'expected_close', 'buying_situation', 'buying_stage', 'stage_entered_at', 'status', 'lost_reason', 'closed_at', 'owner_id', 'need_type', 'source', 'competitors', 'opened_at', 'created_at', 'updated_at', 'created_by'],
  opportunity_stage_history: ['org_id', 'id', 'opportunity_id', 'from_stage', 'to_stage', 'changed_at', 'changed_by'],
  opportunity_criteria_checks: ['org_id', 'opportunity_id', 'criterion_id', 'checked_at', 'checked_by'],
  buying_center_members: ['org_id', 'id', 'opportunity_id', 'contact_id', 'roles', 'influence', 'attitude', 'note', 'created_at', 'updated_at'],
  buying_center_coverage: ['org_id', 'member_id', 'user_id', 'created_at'],
  interactions: ['org_id', 'id', 'account_id', 'opportunity_id', 'kind', 'direction', 'subject', 'body', 'occurred_at', 'duration_minutes', 'aisas_step', 'source', 'owner_id', 'created_at', 'updated_at', 'created_by'],
  interaction_contacts: ['org_id', 'interaction_id', 'contact_id'],
  interaction_users: ['org_id', 'interaction_id', 'user_id'],
  tasks: ['org_id', 'id', 'title', 'description', 'kind', 'status', 'priority', 'due_at', 'completed_at', 'assignee_id', 'account_id', 'opportunity_id', 'contact_id', 'created_at', 'updated_at', 'created_by'],
  notes: ['org_id', 'id', 'body', 'pinned', 'author_id', 'account_id', 'opportunity_id', 'contact_id', 'created_at', 'updated_at', 'created_by'],
  orders: ['org_id', 'id', 'account_id', 'opportunity_id', 'order_number', 'ordered_at', 'amount', 'currency', 'fx_rate', 'amount_base', 'status', 'description', 'created_at', 'updated_at', 'created_by'],
} as const;
type Table = keyof typeof COLUMNS;
/** Load order: parents before children (the foreign keys are checked row by row during COPY). */
const TABLES = Object.keys(COLUMNS) as Table[];
type Cell = string | number | boolean | null;
type Batch = Record<Table, Cell[][]>;
const newBatch = (): Batch => Object.fromEntries(TABLES.map((t) => [t, []])) as unknown as Batch;

// Timestamps are the generator's hottest path (Date#toISOString was a third of its time):
// the date part is cached per day, the time of day is assembled from digit tables.
const P2 = Array.from({ length: 100 }, (_, k) => String(k).padStart(2, '0'));
const P3 = Array.from({ length: 1000 }, (_, k) => String(k).padStart(3, '0'));
const dayPrefix = new Map<number, string>();
const isoDate = (ms: number) => {
  const day = Math.floor(ms / DAY);
  let p = dayPrefix.get(day);
  if (p === undefined) {
    p = new Date(day * DAY).toISOString().slice(0, 10);
    dayPrefix.set(day, p);
  }
  return p;
};
export const iso = (ms: number) => {
  const t = Math.floor(ms);
  const inDay = t - Math.floor(t / DAY) * DAY;
  const s = Math.floor(inDay / 1000);
  return `${isoDate(t)}T${P2[Math.floor(s / 3600)]}:${P2[Math.floor(s / 60) % 60]}:${P2[s % 60]}.${P3[inDay % 1000]}Z`;
};
const pgArray = (xs: readonly string[]) => `{${xs.join(',')}}`;
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const round2 = (x: number) => Math.round(x * 100) / 100;

// ── Shapes of the market ────────────────────────────────────────────────────

const NEED_TYPES = ['importer', 'brand_owner', 'designer', 'engineering_contractor', 'distributor', 'end_user'] as const;
type NeedType = (typeof NEED_TYPES)[number];
const NEED_WEIGHTS = [22, 14, 10, 20, 20, 14];
/** Fit (DOMAIN §3): brand owners and designers want a capable partner — our kind of customer. */
const NEED_FIT: Record<NeedType, number> = { importer: 0, brand_owner: 0.8, designer: 0.35, engineering_contractor: 0.1, distributor: -0.1, end_user: -0.25 };
const PRICE_FIT = { price: -0.9, balanced: 0.1, quality: 0.6 } as const;
type PriceOrientation = keyof typeof PRICE_FIT;
const PRICE_BY_NEED: Record<NeedType, number[]> = {
  importer: [45, 40, 15], brand_owner: [10, 40, 50], designer: [10, 40, 50],
  engineering_contractor: [40, 45, 15], distributor: [45, 40, 15], end_user: [30, 50, 20],
};
const INDUSTRY_BY_NEED: Record<NeedType, string[]> = {
  importer: ['wholesale', 'lighting'], brand_owner: ['lighting', 'retail', 'manufacturing'], designer: ['architecture_design'],
  engineering_contractor: ['construction', 'public_sector', 'construction'], distributor: ['wholesale', 'lighting'],
  end_user: ['hospitality', 'retail', 'manufacturing', 'public_sector'],
};
const EMPLOYEES_MEDIAN: Record<NeedType, number> = { importer: 40, brand_owner: 300, designer: 15, engineering_contractor: 120, distributor: 80, end_user: 500 };
/** Containers (40HQ) a year of what we sell. */
const DEMAND_MEDIAN: Record<NeedType, number> = { importer: 12, brand_owner: 25, designer: 2, engineering_contractor: 5, distributor: 15, end_user: 3 };
const SITUATIONS = ['new_task', 'modified_rebuy', 'straight_rebuy'] as const;
type Situation = (typeof SITUATIONS)[number];
const SITUATION_FIT: Record<Situation, number> = { new_task: -0.3, modified_rebuy: 0.4, straight_rebuy: 1.0 };
const LEAD_SOURCES = ['search_engine', 'peer_review', 'video_site', 'social_network', 'trade_fair', 'referral', 'website', 'outbound'];
const LEAD_WEIGHTS = [30, 15, 8, 8, 17, 10, 7, 5];
const COUNTRY_WEIGHTS = COUNTRIES.map((c) => c.weight);
const JOB_POOL = ['engineer', 'cto', 'finance', 'product', 'project', 'assistant', 'engineer'];

/** Hand-written accounts at fixed positions, so every demo (even a tiny one) shows each story. */
interface Story {
  country?: string;
  needType?: NeedType;
  price?: PriceOrientation;
  partner?: boolean;
  keyPerson?: boolean;
  demand?: number;
  /** Share of wallet of repeat orders (fraction of yearly demand). */
  wallet?: number;
  /** Buys one container at a time: one per won deal and a single repeat order in the last year. */
  oneContainer?: boolean;
  /** Outcomes forced on the first closed deals. */
  wins?: number;
  deals?: number;
  fall?: 'passively_phased_out';
  strategic?: boolean;
  open?: { situation: Situation; rank: number; noDecider?: boolean; single?: boolean };
}
const STORIES: Story[] = [
  // A key account: ideal fit, strategic, but one rep does everything (key-person dependence).
  { country: 'DE', needType: 'brand_owner', price: 'quality', keyPerson: true, demand: 60, wallet: 0.6, wins: 4, deals: 5, strategic: true },
  // A preferred supplier status that fell to passively phased out nine days ago: an alarm.
  { country: 'US', needType: 'importer', price: 'balanced', demand: 40, wallet: 0.3, wins: 3, deals: 4, fall: 'passively_phased_out' },
  // A first-of-its-kind project: new task, no decider known yet.
  { country: 'AE', needType: 'engineering_contractor', price: 'balanced', deals: 1, wins: 0, open: { situation: 'new_task', rank: 2, noDecider: true } },
  // A distributor needing 100 containers a year that gives us one.
  { country: 'GB', needType: 'distributor', price: 'price', demand: 100, wallet: 0.01, oneContainer: true, wins: 1, deals: 2 },
  // A Chinese brand owner, preferred, with a single-threaded open rebuy.
  { country: 'CN', needType: 'brand_owner', price: 'quality', demand: 30, wallet: 0.35, wins: 2, deals: 3, open: { situation: 'modified_rebuy', rank: 3, single: true } },
  // A design institute: a partner that specifies our products in projects.
  { country: 'CN', needType: 'designer', partner: true, deals: 0 },
  // A sourcing agent in Hong Kong.
  { country: 'HK', needType: 'distributor', partner: true, deals: 0 },
  // A price-driven importer that keeps losing on price.
  { country: 'IN', needType: 'importer', price: 'price', wins: 0, deals: 3 },
];

// ── Generation context ──────────────────────────────────────────────────────

interface ContactRef { id: string; job: JobFamily; name: string; country: string }
interface Gen {
  orgId: string;
  seed: number;
  nowMs: number;
  staff: Staff;
  criteria: Record<string, string[]>;
  /** Contacts of the last accounts generated, for links across companies (former colleagues, referrals). */
  recent: ContactRef[][];
  extraTouches: number;
}

interface Member { id: string; contact: ContactRef; roles: string[]; covered: string[] }
interface Deal {
  id: string;
  situation: Situation;
  created: number;
  end: number;
  status: 'open' | 'won' | 'lost';
  amount: number;
  currency: 'USD' | 'EUR';
  product: readonly [string, string];
  owner: string;
  members: Member[];
  logit: number;
  /** Stage forced by a story (open deals only). */
  storyRank?: number;
}

function chineseGroup(g: Group) {
  return g === 'zhCN' || g === 'zhTW' || g === 'zhHK';
}

function companyName(r: Rng, country: Country, partner: boolean) {
  const words = COMPANY[country.group];
  // Singapore trades in both scripts.
  const group = country.group === 'sg' && r.chance(0.4) ? COMPANY.zhCN : words;
  const first = r.pick(group.first);
  const core = r.pick(partner ? group.partner : group.core);
  const suffix = r.pick(group.suffix);
  let name: string;
  if (group.joined) {
    const city = country.group === 'sg' ? '新加坡' : country.cities[0]![0];
    const cityName = country.group === 'zhCN' ? r.pick(country.cities)[0] : city;
    const suff = country.group === 'sg' ? '私人有限公司' : suffix;
    name = `${cityName}${first[0]}${core[0]}${suff}`;
  } else if (suffix === 'PT') {
    name = `PT ${first[0]} ${core[0]}`;
  } else {
    name = `${first[0]} ${core[0]} ${suffix}`;
  }
  const domain = `${first[1].replace(/\s+/g, '')}${r.chance(0.5) ? '-' : ''}${core[1].replace(/\s+/g, '').toLowerCase()}.${country.tld}`;
  return { name, domain };
}

function phone(r: Rng, country: Country) {
  return `${country.dial} ${r.int(10, 99)} ${r.int(1000, 9999)} ${r.int(1000, 9999)}`;
}

function titleFor(r: Rng, job: JobFamily, group: Group) {
  if (group === 'zhCN') return r.pick(job.zh);
  if (group === 'zhTW' || group === 'zhHK') return r.pick(job.zhTW);
  return r.pick(job.en);
}

const SUBJECTS_EN: Record<string, string[]> = {
  email: ['Quotation for {p}', 'Re: samples of {p}', 'Spec sheets and IES files', 'Shipping schedule', 'Re: price list {y}', 'Follow-up on our call', 'Certificates (CE, RoHS, UL)'],
  call: ['Call about {p}', 'Clarified delivery terms', 'Price discussion', 'Checked sample feedback', 'Introduced our engineer'],
  meeting: ['Video meeting: {p} requirements', 'Technical review of {p}', 'Negotiation meeting', 'Quarterly business review'],
  visit: ['Visit to the customer site', 'Customer visit to our Shenzhen factory', 'Project site survey'],
  trade_fair: ['Met at {f}'],
  webinar: ['Webinar: LED retrofit savings', 'Webinar: smart lighting controls', 'Webinar: choosing colour temperature'],
  message: ['WhatsApp: order status', 'WeChat: quick question on {p}', 'LinkedIn message'],
  survey_answer: ['Answered the customer engagement survey'],
  review: ['Posted a review of {p}'],
};
const SUBJECTS_ZH: Record<string, string[]> = {
  email: ['{p}报价', '回复：{p}样品', '规格书和IES文件', '出货安排', '回复：{y}价格表', '电话沟通跟进', '认证资料（CE、RoHS）'],
  call: ['电话沟通{p}', '确认交期', '价格沟通', '样品反馈', '介绍我方工程师'],
  meeting: ['视频会议：{p}需求', '{p}技术评审', '商务谈判', '季度业务回顾'],
  visit: ['拜访客户', '客户来深圳工厂参观', '项目现场勘察'],
  trade_fair: ['{f}展会见面'],
  webinar: ['网络研讨会：LED改造节能', '网络研讨会：智能照明控制', '网络研讨会：如何选择色温'],
  message: ['微信：订单进度', '微信：{p}问题咨询', '消息沟通'],
  survey_answer: ['填写客户敬业度调查'],
  review: ['发表{p}评价'],
};
const DURATION: Record<string, [number, number] | null> = {
  email: null, call: [5, 45], meeting: [30, 120], visit: [120, 480], trade_fair: [15, 60], webinar: [45, 60], message: null, survey_answer: null, review: null,
};
const DIRECTION_IN: Record<string, number> = { email: 0.5, call: 0.3, meeting: 0.2, visit: 0, trade_fair: 0.7, webinar: 1, message: 0.5, survey_answer: 1, review: 1 };
const MEETING_KINDS = new Set(['meeting', 'visit', 'trade_fair']);

// ── One account and everything hanging off it ───────────────────────────────

function genAccount(g: Gen, i: number, b: Batch) {
  const r = new Rng(g.seed, i);
  const { orgId, nowMs, staff } = g;
  const idMs = ID_BASE_MS + i;
  const id = () => r.uuid(idMs);
  const story: Story = STORIES[i] ?? {};

  const country = story.country ? COUNTRIES.find((c) => c.code === story.country)! : r.weighted(COUNTRIES, COUNTRY_WEIGHTS);
  const group = country.group;
  const zh = chineseGroup(group) || (group === 'sg' && r.chance(0.3));
  const [city, region] = r.pick(country.cities);
  const partner = story.partner ?? (i < STORIES.length ? false : r.chance(0.06));
  const needType: NeedType = story.needType ?? (partner ? (r.chance(0.6) ? 'designer' : 'distributor') : r.weighted(NEED_TYPES, NEED_WEIGHTS));
  const price: PriceOrientation = story.price ?? r.weighted(['price', 'balanced', 'quality'] as const, PRICE_BY_NEED[needType]);
  const industry = partner && needType === 'designer' ? 'architecture_design' : r.pick(INDUSTRY_BY_NEED[needType]);
  const employees = Math.max(3, Math.round(r.logNormal(EMPLOYEES_MEDIAN[needType], 0.9)));
  const revenue = Math.round((employees * r.range(80_000, 260_000)) / 1000) * 1000;
  const demandContainers = story.demand ?? Math.max(0.5, Math.round(r.logNormal(DEMAND_MEDIAN[needType], 0.8) * 2) / 2);
  const currency: 'USD' | 'EUR' = country.currency === 'EUR' && r.chance(0.8) ? 'EUR' : 'USD';
  const toCur = (usd: number) => (currency === 'EUR' ? usd / EUR_USD : usd);
  const demandKnown = story.demand !== undefined || r.chance(0.85);
  const { name, domain } = companyName(r, country, partner);
  // Fit is the account's latent attractiveness; the win model should be able to learn it back.
  const fit = NEED_FIT[needType] + PRICE_FIT[price] + (employees > 3000 ? -0.4 : 0) + r.normal() * 0.3;
  const team = country.team;
  const teamReps = staff.repsByTeam[team];
  const rep = r.pick(teamReps);
  const strong = demandContainers >= 8 || r.chance(0.45) || story.deals !== undefined;
  // Strong accounts go to a salesperson, ordinary ones to marketing follow-up (DOMAIN §4).
  let owner = partner ? r.pick([rep, staff.salesDirector]) : strong ? rep : r.pick(staff.marketing);
  const keyPerson = story.keyPerson ?? (strong && r.chance(0.12));
  const accountId = id();
  const start = nowMs - (story.deals !== undefined ? r.range(700, 900) : r.range(40, 1000)) * DAY;
  const source = r.weighted(LEAD_SOURCES, LEAD_WEIGHTS);

  // Contacts: purchasing first, then the boss, then a mix of the rest.
  const nContacts = Math.min(6, 2 + r.int(0, 2) + (employees > 200 ? 1 : 0) + (needType === 'engineering_contractor' || needType === 'end_user' ? 1 : 0));
  const jobs: JobFamily[] = [needType === 'engineering_contractor' ? JOBS.project! : JOBS.purchasing!, JOBS.ceo!];
  for (const k of r.sample(JOB_POOL, nContacts - 2)) if (!jobs.some((j) => j.key === k)) jobs.push(JOBS[k]!);
  if (needType === 'engineering_contractor' && !jobs.includes(JOBS.purchasing!) && jobs.length < nContacts) jobs.push(JOBS.purchasing!);
  const people = PEOPLE[group];
  const contacts: ContactRef[] = [];
  const usedEmails = new Set<string>();
  for (const job of jobs) {
    const family = r.pick(people.family);
    const given = r.pick(people.given);
    const full = people.chinese ? `${family[0]}${given[0]}` : `${given[0]} ${family[0]}`;
    let local = `${given[1]}.${family[1]}`.toLowerCase().replace(/[^a-z0-9.-]/g, '');
    if (usedEmails.has(local)) local += contacts.length;
    usedEmails.add(local);
    const created = contacts.length === 0 ? start : start + r.range(0, 120) * DAY;
    const cid = id();
    const consent = r.weighted(['unknown', 'granted', 'denied'], [50, 40, 10]);
    b.contacts.push([
      orgId, cid, accountId, given[0], family[0], full, titleFor(r, job, group), job.department,
      zh ? (group === 'zhCN' || group === 'sg' ? 'zh-CN' : 'zh-TW') : country.language,
      r.chance(0.9) ? `${local}@${domain}` : null, r.chance(0.7) ? phone(r, country) : null, r.chance(0.4) ? phone(r, country) : null,
      country.code, city, consent, consent === 'denied' || r.chance(0.04), owner, contacts.length === 0 ? source : null,
      null, iso(Math.min(created, nowMs)), iso(Math.min(created + r.range(0, 200) * DAY, nowMs)), owner,
    ]);
    contacts.push({ id: cid, job, name: full, country: country.code });
  }
  const byJob = (k: string) => contacts.find((c) => c.job.key === k);

  // Deals in time order; the earlier ones decide whether later ones are rebuys.
  const nDeals = story.deals ?? (partner ? (r.chance(0.3) ? 1 : 0) : r.chance(0.2) ? 0 : 1 + Math.floor(Math.pow(r.next(), 1.6) * 5));
  const deals: Deal[] = [];
  let t = start + r.range(0, 45) * DAY;
  let wins = 0;
  let closed = 0;
  const dealOwner = teamReps.includes(owner) ? owner : rep;
  for (let d = 0; d < nDeals; d++) {
    const isStoryOpen = story.open !== undefined && d === nDeals - 1;
    if (!isStoryOpen && t >= nowMs - 3 * DAY) break;
    const situation: Situation = isStoryOpen
      ? story.open!.situation
      : wins === 0 ? (r.chance(0.85) ? 'new_task' : 'modified_rebuy') : r.weighted(SITUATIONS, [25, 35, 40]);
    const duration = (situation === 'straight_rebuy' ? r.range(7, 40) : situation === 'modified_rebuy' ? r.range(25, 100) : r.range(50, 220)) * DAY;
    const created = isStoryOpen ? nowMs - duration * 0.45 : t;
    const end = created + duration;
    let status: Deal['status'] = 'open';

    // Buying center: its size follows the buying situation (DOMAIN §2).
    const size = isStoryOpen && story.open!.single ? 1
      : situation === 'straight_rebuy' ? 1 + (r.chance(0.3) ? 1 : 0) : situation === 'modified_rebuy' ? r.int(1, 3) : r.int(2, 6);
    const deciderKnown = isStoryOpen && story.open!.noDecider ? false : r.chance(situation === 'new_task' ? 0.6 : 0.8);
    let chosen = r.sample(contacts, size);
    const ceo = byJob('ceo');
    if (deciderKnown && ceo && size > 1 && !chosen.includes(ceo)) chosen[chosen.length - 1] = ceo;
    if (!deciderKnown) chosen = chosen.filter((c) => c !== ceo);
    if (chosen.length === 0) chosen = [contacts[0]!];
    const members: Member[] = chosen.map((contact) => {
      const roles = [contact.job.roles[0]!];
      if (contact.job.roles[1] && r.chance(0.4)) roles.push(contact.job.roles[1]);
      if (chosen.length === 1 && deciderKnown && !roles.includes('decider')) roles.push('decider');
      const finalRoles = deciderKnown ? roles : roles.filter((x) => x !== 'decider');
      if (finalRoles.length === 0) finalRoles.push('influencer');
      // Diamond model: our departments face their counterparts; key-person accounts face one rep only.
      const covered: string[] = [];
      if (keyPerson) covered.push(dealOwner);
      else {
        if (r.chance(0.78)) covered.push(dealOwner);
        if ((contact.job.key === 'engineer' || contact.job.key === 'cto') && r.chance(0.5)) covered.push(staff.technical);
        if (contact.job.key === 'finance' && r.chance(0.4)) covered.push(staff.finance);
        if (contact.job.key === 'ceo' && r.chance(0.35)) covered.push(staff.salesDirector);
      }
      return { id: id(), contact, roles: finalRoles, covered };
    });
    const coveredCount = members.filter((m) => m.covered.length > 0).length;
    const logit = -0.35 + fit + SITUATION_FIT[situation] + (wins > 0 ? 0.6 : 0) + (deciderKnown ? 0.5 : -0.6)
      + 0.25 * (coveredCount - 1.5) + (members.length === 1 && situation !== 'straight_rebuy' ? -0.5 : 0) + r.normal() * 0.6;
    if (end < nowMs - DAY && !isStoryOpen) {
      closed++;
      const forced = story.wins === undefined ? null : closed <= story.wins ? 'won' : story.wins === 0 ? 'lost' : null;
      status = forced ?? (r.chance(sigmoid(logit)) ? 'won' : 'lost');
      if (status === 'won') wins++;
    }
    const product = r.pick(PRODUCTS);
    const bulk = needType === 'importer' || needType === 'distributor' || needType === 'brand_owner';
    const containers = story.oneContainer ? 1 : bulk
      ? (situation === 'straight_rebuy' ? r.range(1, 4) : situation === 'modified_rebuy' ? r.range(1, 6) : r.range(2, 10))
      : r.range(0.2, 3);
    const dealCurrency: 'USD' | 'EUR' = currency === 'EUR' || (country.currency === 'EUR' && r.chance(0.5)) ? 'EUR' : 'USD';
    const usd = containers * CONTAINER_USD * r.range(0.8, 1.2);
    const amount = Math.round((dealCurrency === 'EUR' ? usd / EUR_USD : usd) / 100) * 100;
    deals.push({
      id: id(), situation, created, end, status, amount, currency: dealCurrency, product, owner: dealOwner, members, logit,
      ...(isStoryOpen ? { storyRank: story.open!.rank } : {}),
    });
    t = (status === 'open' ? created : end) + (story.deals !== undefined ? r.range(10, 60) : r.range(20, 200)) * DAY;
  }

  const kind = partner ? 'partner' : wins > 0 ? 'customer' : 'prospect';
  if (wins > 0 && !teamReps.includes(owner)) owner = rep;

  // Opportunities, their stage paths, criteria checks, buying centers.
  for (const deal of deals) genDeal(g, r, b, deal, { accountId, needType, source, zh, price, idMs });

  // Supplier status and relationship depth, with history (DOMAIN §6).
  const won = deals.filter((d) => d.status === 'won');
  let supplierStatus: string | null = null;
  let depth: string | null = null;
  let fallAt = Infinity;
  let activelyOut = false;
  const change = (field: 'supplier_status' | 'relationship_depth', to: string, at: number, note: string | null = null) => {
    const from = field === 'supplier_status' ? supplierStatus : depth;
    if (from === to || at > nowMs) return;
    b.account_status_history.push([orgId, id(), accountId, field, from, to, iso(at), owner, note]);
    if (field === 'supplier_status') supplierStatus = to;
    else depth = to;
  };
  if (won.length > 0) {
    const first = won[0]!.end;
    change('supplier_status', 'provisional', first);
    change('relationship_depth', 'transactional', first);
    if (won.length >= 2 || r.chance(0.25)) change('supplier_status', 'preferred', won[1]?.end ?? first + r.range(90, 300) * DAY);
    if (r.chance(0.6)) change('relationship_depth', 'service', first + r.range(60, 240) * DAY);
    if (story.strategic || (won.length >= 3 && fit > 0.7 && r.chance(0.6))) {
      const at = won[2]?.end ?? first + 200 * DAY;
      change('supplier_status', 'strategic', at);
      change('relationship_depth', 'strategic_alliance', at + r.range(10, 90) * DAY);
    }
    const lastWin = won[won.length - 1]!.end;
    if (story.fall) {
      if (supplierStatus !== 'preferred') change('supplier_status', 'preferred', Math.min(lastWin, nowMs - 60 * DAY));
      fallAt = nowMs - 9 * DAY;
      change('supplier_status', story.fall, fallAt, 'Lost the 2026 framework contract to a cheaper supplier');
    } else if ((supplierStatus === 'preferred' || supplierStatus === 'strategic') && lastWin + 30 * DAY < nowMs - 5 * DAY) {
      const fall = r.next();
      if (fall < 0.11) {
        fallAt = lastWin + r.range(30, Math.max(31, (nowMs - lastWin) / DAY - 2)) * DAY;
        activelyOut = fall < 0.03;
        change('supplier_status', activelyOut ? 'actively_phased_out' : 'passively_phased_out', fallAt,
          r.pick(['Quality complaint on the last shipment', 'New purchasing manager brought his own suppliers', 'Price gap against a local supplier', null]));
      }
    }
  }

  // Orders: one per won deal, then repeat business sized by share of wallet (the reverse funnel).
  let orderSeq = 0;
  const orderNo = () => `SO-${String(i + 1).padStart(7, '0')}-${String(++orderSeq).padStart(3, '0')}`;
  const pushOrder = (at: number, usdAmount: number, oppId: string | null, desc: string) => {
    if (at > nowMs || (activelyOut && at > fallAt)) return;
    const cur = oppId ? deals.find((d) => d.id === oppId)!.currency : currency;
    const fx = cur === 'EUR' ? round2(EUR_USD + 0.04 * Math.sin(at / (90 * DAY))) : null;
    const amount = oppId ? usdAmount : Math.round((cur === 'EUR' ? usdAmount / EUR_USD : usdAmount) / 10) * 10;
    const age = (nowMs - at) / DAY;
    b.orders.push([orgId, id(), accountId, oppId, orderNo(), isoDate(at), amount.toFixed(2), cur, fx === null ? null : fx.toFixed(8),
      (fx === null ? amount : round2(amount * fx)).toFixed(2), age > 60 ? 'delivered' : age > 20 ? 'shipped' : 'confirmed', desc, iso(at), iso(at), owner]);
  };
  for (const deal of won) {
    const containers = Math.max(1, Math.round(deal.amount / CONTAINER_USD));
    pushOrder(Math.min(deal.end + r.range(3, 20) * DAY, nowMs - 3_600_000), deal.amount, deal.id, `${containers}×40HQ ${deal.product[0]}`);
  }
  if (story.oneContainer && won.length > 0) {
    pushOrder(nowMs - r.range(30, 300) * DAY, CONTAINER_USD * r.range(0.9, 1.1), null, `1×40HQ ${r.pick(PRODUCTS)[0]}`);
  } else if (won.length > 0 && kind === 'customer') {
    const wallet = story.wallet ?? (supplierStatus === 'strategic' ? r.range(0.4, 0.8) : supplierStatus === 'preferred' ? r.range(0.15, 0.45) : r.range(0.01, 0.12));
    const perYear = demandContainers * wallet;
    const size = Math.max(1, Math.round(perYear / 12));
    const from = won[0]!.end + 30 * DAY;
    const years = Math.max(0, (nowMs - from) / (365 * DAY));
    const n = Math.min(40, Math.round((perYear * years) / size));
    for (let k = 0; k < n; k++) {
      const at = from + r.next() * (nowMs - from);
      // Passively phased out: old business trickles on, no new business (DOMAIN §6).
      if (at > fallAt && r.chance(0.5)) continue;
      pushOrder(at, size * CONTAINER_USD * r.range(0.9, 1.1), null, `${size}×40HQ ${r.pick(PRODUCTS)[0]}`);
    }
  }

  // Account-level interactions: first touch, marketing, service.
  const lastActivity = { at: start };
  const kinds = ['email', 'call', 'meeting', 'visit', 'trade_fair', 'webinar', 'message', 'survey_answer', 'review'];
  const firstKind = source === 'trade_fair' ? 'trade_fair' : source === 'video_site' || source === 'social_network' ? 'message' : source === 'referral' ? 'call' : 'email';
  const interaction = (at: number, kindName: string, user: string, oppId: string | null, people: ContactRef[], aisas: string | null, src: string | null) => {
    if (at > nowMs) return;
    const iid = id();
    const subj = r.pick((zh ? SUBJECTS_ZH : SUBJECTS_EN)[kindName]!)
      .replace('{p}', r.pick(PRODUCTS)[zh ? 1 : 0]).replace('{f}', r.pick(TRADE_FAIRS)).replace('{y}', String(new Date(at).getUTCFullYear()));
    const dur = DURATION[kindName];
    const direction = r.chance(DIRECTION_IN[kindName] ?? 0.5) ? 'inbound' : 'outbound';
    b.interactions.push([orgId, iid, accountId, oppId, kindName, direction, subj, kindName === 'visit' || kindName === 'meeting' ? (zh ? '会议纪要已上传。' : 'Minutes shared with the team.') : null,
      iso(at), dur ? r.int(dur[0], dur[1]) : null, aisas, src, user, iso(at), iso(at), user]);
    const seen = new Set<string>();
    for (const p of people) if (!seen.has(p.id)) { seen.add(p.id); b.interaction_contacts.push([orgId, iid, p.id]); }
    b.interaction_users.push([orgId, iid, user]);
    if (!keyPerson && MEETING_KINDS.has(kindName) && r.chance(0.4)) {
      const extra = r.chance(0.6) ? staff.technical : staff.salesDirector;
      if (extra !== user) b.interaction_users.push([orgId, iid, extra]);
    }
    if (at > lastActivity.at) lastActivity.at = at;
  };
  interaction(start, firstKind, owner, null, [contacts[0]!], r.pick(['attention', 'interest', 'search']), source);
  const nAccountLevel = (kind === 'customer' ? r.int(2, 5) : kind === 'partner' ? r.int(2, 4) : r.int(0, 2)) + g.extraTouches;
  for (let k = 0; k < nAccountLevel; k++) {
    const at = start + r.next() * (nowMs - start);
    let kindName = r.weighted(kinds, [40, 20, 8, 4, 5, 8, 10, kind === 'customer' ? 3 : 0, kind === 'customer' ? 2 : 0]);
    let user = keyPerson ? owner : kindName === 'webinar' ? r.pick(staff.marketing) : kind === 'customer' && r.chance(0.3) ? staff.service : owner;
    if (kind === 'prospect' && !strong && kindName === 'visit') kindName = 'email';
    if (kindName === 'review' || kindName === 'survey_answer') user = keyPerson ? owner : staff.service;
    interaction(at, kindName, user, null, r.sample(contacts, MEETING_KINDS.has(kindName) ? r.int(1, 2) : 1),
      kindName === 'review' ? 'share' : kindName === 'webinar' ? 'interest' : null, null);
  }
  // Deal interactions: engagement grows with the deal's quality, so engagement predicts wins.
  for (const deal of deals) {
    const until = deal.status === 'open' ? nowMs : deal.end;
    const base = deal.situation === 'straight_rebuy' ? 2 : deal.situation === 'modified_rebuy' ? 3 : 5;
    const n = Math.max(1, Math.round(base * (0.6 + sigmoid(deal.logit)) * (until - deal.created) / (deal.end - deal.created) + r.int(-1, 1)));
    const people = deal.members.map((m) => m.contact);
    for (let k = 0; k < n; k++) {
      const at = k === 0 ? deal.created : deal.created + r.next() * (until - deal.created);
      const kindName = r.weighted(kinds.slice(0, 7), [40, 22, 14, 6, 3, 2, 13]);
      const user = keyPerson ? deal.owner : r.chance(0.85) ? deal.owner : r.pick([staff.technical, staff.salesDirector, staff.service]);
      interaction(at, kindName, user, deal.id, MEETING_KINDS.has(kindName) ? r.sample(people, r.int(1, 3)) : [r.pick(people)],
        k === 0 ? (deal.situation === 'new_task' ? 'search' : 'action') : null, null);
    }
  }

  // Tasks: next steps on open deals, promises made to customers, done work in the past.
  const task = (title: string, kindName: string, due: number, status: 'open' | 'done' | 'cancelled', assignee: string, oppId: string | null, contact: ContactRef | null, desc: string | null = null) => {
    const created = Math.min(due - r.range(2, 30) * DAY, nowMs - DAY);
    b.tasks.push([orgId, id(), title, desc, kindName, status, r.weighted([1, 2, 3], [20, 60, 20]), iso(due),
      status === 'done' ? iso(Math.min(due + r.range(-5, 3) * DAY, nowMs)) : null, assignee, accountId, oppId, contact?.id ?? null,
      iso(created), iso(status === 'done' ? Math.min(due, nowMs) : created), assignee]);
  };
  for (const deal of deals) {
    if (deal.status !== 'open') continue;
    const who = r.pick(deal.members).contact;
    const due = nowMs + r.range(-14, 21) * DAY;
    task(zh ? `跟进${who.name}：${deal.product[1]}方案` : `Follow up with ${who.name} on ${deal.product[0]}`, 'next_step', due, 'open', deal.owner, deal.id, who);
  }
  if (r.chance(kind === 'customer' ? 0.5 : 0.25)) {
    const who = r.pick(contacts);
    const due = nowMs + r.range(-20, 30) * DAY;
    const p = r.pick(PRODUCTS);
    const done = due < nowMs && r.chance(0.5);
    task(zh ? `承诺：寄送${p[1]}样品和检测报告给${who.name}` : `Promised ${who.name}: samples and test reports for ${p[0]}`, 'promise', due, done ? 'done' : 'open', owner, null, who,
      zh ? '客户要求在下次会议前收到。' : 'They need them before their next internal meeting.');
  }
  for (let k = r.int(0, 2); k > 0; k--) {
    const due = start + r.next() * (nowMs - start);
    task(zh ? '更新客户资料' : r.pick(['Update account plan', 'Send catalogue', 'Confirm shipping documents', 'Check payment received']), 'task', due,
      due < nowMs - 3 * DAY ? (r.chance(0.9) ? 'done' : 'cancelled') : 'open', r.chance(0.8) ? owner : staff.service, null, null);
  }

  // Notes.
  const nNotes = r.int(0, kind === 'customer' ? 2 : 1);
  for (let k = 0; k < nNotes; k++) {
    const at = start + r.next() * (nowMs - start);
    const who = r.pick(contacts);
    const body = zh
      ? r.pick([`${who.name}更看重交期而不是价格。`, `老板${who.name}只在微信上回复。`, '客户对去年的质量问题仍有顾虑，需提供检测报告。', '年底前有新项目招标。'])
      : r.pick([`${who.name} cares more about lead time than price.`, 'They were burnt by a previous supplier: send test reports early.', 'Budget is decided in Q4 each year.', `${who.name} prefers calls to email.`, 'Annual tender expected next spring.']);
    b.notes.push([orgId, id(), body, k === 0 && (keyPerson || r.chance(0.15)), owner, accountId, null, who.id, iso(at), iso(at), owner]);
  }

  // Contact network: inside the account, and across companies (former colleagues, referrals…).
  const links = new Set<string>();
  const link = (from: ContactRef, to: ContactRef, type: string, at: number) => {
    const key = `${from.id}|${to.id}|${type}`;
    if (from.id === to.id || links.has(key)) return;
    links.add(key);
    b.contact_links.push([orgId, id(), from.id, to.id, type, r.int(1, 5), null, iso(at), iso(at)]);
  };
  const boss = byJob('ceo');
  for (const ct of contacts) if (boss && ct !== boss && r.chance(0.6)) link(ct, boss, 'reports_to', start);
  if (contacts.length >= 3 && r.chance(0.5)) link(contacts[1]!, contacts[2]!, 'colleague', start);
  if (g.recent.length > 0) {
    const others = () => r.pick(r.pick(g.recent));
    if (r.chance(0.2)) link(r.pick(contacts), others(), 'former_colleague', start);
    if (r.chance(0.08)) link(r.pick(contacts), others(), 'friend', start);
    if (r.chance(0.08)) link(contacts[0]!, others(), 'referred_by', start);
    if (r.chance(0.05)) link(r.pick(contacts), others(), 'same_association', start);
  }
  g.recent.push(contacts);
  if (g.recent.length > 64) g.recent.shift();

  const tags: string[] = [];
  if (source === 'trade_fair') tags.push('canton-fair');
  if (keyPerson || supplierStatus === 'strategic') tags.push('vip');
  if (r.chance(0.1)) tags.push('samples-sent');
  const aisas = kind === 'customer' ? (r.chance(0.3) ? 'share' : 'action') : r.pick(['attention', 'interest', 'search', 'search', 'action']);
  b.accounts.push([
    orgId, accountId, name, kind, domain, `https://www.${domain}`, industry, country.code, region, city,
    zh ? `${city}${r.int(1, 300)}号` : `${r.int(1, 300)} ${r.pick(['Main Street', 'Industrial Park', 'Harbour Road', 'Business Center'])}, ${city}`,
    phone(r, country), employees, revenue.toFixed(2), demandKnown ? (Math.round(toCur(demandContainers * CONTAINER_USD) / 1000) * 1000).toFixed(2) : null,
    demandKnown ? currency : null, demandKnown && story.demand === undefined && r.chance(0.5), owner, needType, price, supplierStatus, depth,
    source, aisas, pgArray(tags), iso(start), iso(Math.max(start, lastActivity.at)), owner, owner,
  ]);
}

/** One opportunity: stage path with history, exit-criteria checks, buying center and its coverage. */
function genDeal(g: Gen, r: Rng, b: Batch, deal: Deal, a: { accountId: string; needType: string; source: string; zh: boolean; price: PriceOrientation; idMs: number }) {
  const { orgId, nowMs } = g;
  // Final rank: won deals reach implementation; lost ones stop where they fell; open ones are under way.
  let finalRank: number;
  if (deal.status === 'won') finalRank = 5;
  else if (deal.status === 'lost') finalRank = r.weighted([1, 2, 3, 4], [15, 35, 30, 20]);
  else {
    const elapsed = (nowMs - deal.created) / (deal.end - deal.created);
    finalRank = Math.max(1, Math.min(4, 1 + Math.floor(elapsed * 4)));
  }
  if (deal.status === 'open' && deal.storyRank) finalRank = deal.storyRank;
  const startRank = deal.situation === 'straight_rebuy' ? Math.min(finalRank, r.pick([1, 3, 4])) : 1;
  const path: number[] = [];
  for (let s = startRank; s <= finalRank; s++) if (!(deal.situation === 'straight_rebuy' && s > startRank && s < finalRank && r.chance(0.5))) path.push(s);
  // A few deals move backwards: a new concern sends them back to evaluation.
  if (path.length >= (deal.status === 'won' ? 3 : 2) && r.chance(0.08)) {
    // Won deals end in implementation, so their backward step is always re-climbed.
    const j = r.int(1, path.length - (deal.status === 'won' ? 2 : 1));
    const back = path[j]! - 1;
    if (back >= 1) path.splice(j + 1, 0, ...(j === path.length - 1 ? [back] : [back, path[j]!]));
  }
  // Open deals last moved some time before now; moves are at least a minute apart so their order is unambiguous.
  const lastAt = deal.status === 'open' ? deal.created + (nowMs - deal.created) * r.range(0.3, 0.95) : deal.end;
  const span = Math.max(0, lastAt - deal.created - path.length * 60_000);
  const times = [deal.created];
  const cuts = Array.from({ length: path.length - 1 }, () => r.next()).sort((x, y) => x - y);
  for (let k = 0; k < cuts.length; k++) times.push(deal.created + cuts[k]! * span + (k + 1) * 60_000);
  if (deal.status === 'won' && times.length > 1) times[times.length - 1] = deal.end;
  for (let k = 0; k < path.length; k++) {
    b.opportunity_stage_history.push([orgId, r.uuid(a.idMs), deal.id, k === 0 ? null : STAGES[path[k - 1]! - 1]!, STAGES[path[k]! - 1]!, iso(times[k]!), deal.owner]);
  }
  // Exit criteria of each stage left behind were (mostly) checked on the way out.
  const checked = new Set<string>();
  const check = (stageRank: number, at: number, p: number) => {
    for (const cid of g.criteria[STAGES[stageRank - 1]!] ?? []) {
      if (checked.has(cid) || !r.chance(p)) continue;
      checked.add(cid);
      b.opportunity_criteria_checks.push([orgId, deal.id, cid, iso(Math.min(at, nowMs)), deal.owner]);
    }
  };
  for (let k = 0; k < path.length - 1; k++) check(path[k]!, times[k + 1]!, 0.85);
  const lastRank = path[path.length - 1]!;
  if (deal.status === 'won') check(5, deal.end + 30 * DAY, deal.end + 30 * DAY < nowMs ? 0.8 : 0);
  else if (deal.status === 'open') check(lastRank, times[times.length - 1]! + r.next() * (nowMs - times[times.length - 1]!), 0.35);

  const closedAt = deal.status === 'open' ? null : deal.end;
  const expected = deal.status === 'open' ? Math.max(deal.end, nowMs + r.range(7, 60) * DAY) : deal.end;
  const competitors = r.sample(COMPETITORS, deal.status === 'lost' ? r.int(1, 2) : r.int(0, 3));
  let lostReason: string | null = null;
  if (deal.status === 'lost') {
    lostReason = r.weighted(['price', 'product_fit', 'competitor_relationship', 'timing', 'no_decision', 'risk'],
      a.price === 'price' ? [55, 8, 15, 8, 7, 7] : [15, 15, 25, 15, 15, 15]);
  }
  const name = a.zh
    ? `${deal.product[1]}${r.pick(DEAL_PURPOSES[deal.situation]!)[1]}`
    : `${deal.product[0]} — ${r.pick(DEAL_PURPOSES[deal.situation]!)[0]}`;
  const updated = Math.min(nowMs, Math.max(times[times.length - 1]!, closedAt ?? 0));
  b.opportunities.push([
    orgId, deal.id, a.accountId, name, deal.amount.toFixed(2), deal.currency, isoDate(expected), deal.situation, STAGES[lastRank - 1]!,
    iso(times[times.length - 1]!), deal.status, lostReason, closedAt === null ? null : iso(closedAt), deal.owner, a.needType,
    a.source, pgArray(competitors.map((x) => `"${x}"`)), iso(deal.created), iso(deal.created), iso(updated), deal.owner,
  ]);
  // Attitudes follow how the deal goes: champions in won deals, skeptics and blockers in lost ones.
  const mood = deal.status === 'won' ? 1 : deal.status === 'lost' ? -1 : 0;
  for (const m of deal.members) {
    const score = deal.logit * 0.5 + mood * 0.8 + r.normal() * 0.7;
    const attitude = score > 1.2 ? 'champion' : score > 0.4 ? 'supporter' : score > -0.4 ? 'neutral' : score > -1.2 ? 'skeptic' : 'blocker';
    const [lo, hi] = m.contact.job.influence;
    const influence = m.roles.includes('decider') ? 5 : r.int(lo, hi);
    b.buying_center_members.push([orgId, m.id, deal.id, m.contact.id, pgArray(m.roles), influence, attitude, null, iso(deal.created), iso(deal.created)]);
    for (const u of m.covered) b.buying_center_coverage.push([orgId, m.id, u, iso(deal.created)]);
  }
}


// ── Loading ─────────────────────────────────────────────────────────────────

const ROWS_PER_CHUNK = 2000;

const NEEDS_QUOTES = /[",\n\r]/;
/** PostgreSQL CSV: empty unquoted = NULL, booleans as t/f. Hand-rolled because it runs ~100M times at scale. */
export function toCsv(rows: Cell[][]): string {
  let out = '';
  for (const row of rows) {
    for (let j = 0; j < row.length; j++) {
      const v = row[j];
      if (j > 0) out += ',';
      if (v === null || v === undefined) continue;
      if (typeof v === 'string') {
        if (v === '') out += '""';
        else out += NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
      } else if (typeof v === 'boolean') out += v ? 't' : 'f';
      else out += String(v);
    }
    out += '\n';
  }
  return out;
}

async function* csvChunks(rows: Cell[][], timings: Record<string, number>): AsyncIterable<string> {
  for (let k = 0; k < rows.length; k += ROWS_PER_CHUNK) {
    const t0 = performance.now();
    const out = toCsv(rows.slice(k, k + ROWS_PER_CHUNK));
    timings.csv = (timings.csv ?? 0) + performance.now() - t0;
    yield out;
  }
}

async function copyBatch(c: Conn, batch: Batch, counts: Record<string, number>, timings: Record<string, number>) {
  for (const table of TABLES) {
    const rows = batch[table];
    if (rows.length === 0) continue;
    const t0 = performance.now();
    await c.copyIn(`COPY ${table} (${COLUMNS[table].join(', ')}) FROM STDIN (FORMAT csv)`, csvChunks(rows, timings));
    counts[table] = (counts[table] ?? 0) + rows.length;
    timings[table] = (timings[table] ?? 0) + performance.now() - t0;
  }
}

/** Builds a batch in slices, yielding between them so the previous batch's COPY keeps flowing meanwhile. */
async function buildBatch(g: Gen, from: number, to: number, timings: Record<string, number>): Promise<Batch> {
  const batch = newBatch();
  for (let i = from; i < to; ) {
    const t0 = performance.now();
    const end = Math.min(to, i + 64);
    for (; i < end; i++) genAccount(g, i, batch);
    timings.generate = (timings.generate ?? 0) + performance.now() - t0;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return batch;
}

async function freeIdentity(c: Conn, slug: string, domain: string, fixed: boolean) {
  for (let k = 1; ; k++) {
    const s = k === 1 ? slug : `${slug}-${k}`;
    const d = k === 1 ? domain : `demo${k}.${domain}`;
    const taken = await c.query(
      // login_emails, not users: the global email → organization table answers without asking every shard.
      'select (select count(*) from organizations where slug = $1)::int + (select count(*) from login_emails where email = lower($2))::int as n',
      [s, `admin@${d}`],
    );
    if (Number((taken.rows[0] as { n: number }).n) === 0 || fixed) return { slug: s, domain: d };
  }
}

/** Generates one demo organization with N accounts and all their history; see the module comment. */
export async function generateDemo(database: Database, opts: DemoOptions = {}): Promise<DemoResult> {
  const started = Date.now();
  const total = Math.max(0, Math.floor(opts.accounts ?? DEFAULT_DEMO_ACCOUNTS));
  const seed = (opts.seed ?? DEFAULT_DEMO_SEED) >>> 0;
  const nowMs = opts.now === undefined ? Date.now() : new Date(opts.now).getTime();
  const batchSize = Math.max(1, opts.batchSize ?? 5000);
  const orgName = opts.orgName ?? DEMO_ORG_NAME;
  const progress = opts.onProgress ?? (() => {});
  progress(0, total, 'setup');
  const passwordHash = await hash(DEMO_PASSWORD);

  return database.withConnection(async (c) => {
    const { slug, domain } = await freeIdentity(c, opts.slug ?? DEMO_SLUG, opts.emailDomain ?? DEMO_EMAIL_DOMAIN, opts.slug !== undefined || opts.emailDomain !== undefined);
    const setup = new Rng(seed ^ hashString(slug), 0x7fffffff);
    const setupId = () => setup.uuid(ID_BASE_MS - 1000);
    const orgId = setupId();
    const counts: Record<string, number> = {};
    const timings: Record<string, number> = {};
    let fastLoad = false;
    await c.query('BEGIN');
    try {
      if (opts.fastLoad) {
        await c.query('SAVEPOINT fast_load');
        try {
          await c.query('SET LOCAL session_replication_role = replica');
          fastLoad = true;
        } catch {
          await c.query('ROLLBACK TO SAVEPOINT fast_load');
        }
      }
      const createdAt = iso(nowMs - (HISTORY_DAYS + 200) * DAY);
      await c.db.insert(organizations).values({ id: orgId, name: orgName, slug, baseCurrency: 'USD', locale: 'en', createdAt });
      counts.organizations = 1;
      counts.vocab_terms = await seedVocabularies(c.db, orgId);

      const userRows = USER_SPECS.map((u) => ({
        orgId, id: setupId(), email: userEmail(u, domain), name: `${u.first} ${u.last}`, role: u.role, department: u.department,
        team: u.team, locale: u.locale, passwordHash, createdAt, updatedAt: createdAt,
      }));
      await c.db.insert(users).values(userRows);
      await syncLoginEmails(c.db, orgId);
      counts.users = userRows.length;
      const uid = (first: string) => userRows[USER_SPECS.findIndex((u) => u.first === first)]!.id;
      const repsByTeam = { Europe: [], Americas: [], 'Asia-Pacific': [], 'Middle East & Africa': [] } as Record<Team, string[]>;
      USER_SPECS.forEach((u, k) => { if (u.role === 'rep' && u.team) repsByTeam[u.team].push(userRows[k]!.id); });
      const staff: Staff = {
        admin: uid('Ming'), salesDirector: uid('Grace'), marketingHead: uid('David'), repsByTeam,
        marketing: [uid('Iris'), uid('Nina')], service: uid('Frank'), technical: uid('Eric'), finance: uid('Helen'),
      };

      const criteria: Record<string, string[]> = {};
      const criterionRows = Object.entries(DEFAULT_STAGE_EXIT_CRITERIA).flatMap(([stage, labels]) =>
        labels.map((label, position) => {
          const id = setupId();
          (criteria[stage] ??= []).push(id);
          return { orgId, id, stage, label: label as Record<string, string>, position, createdAt, updatedAt: createdAt, createdBy: staff.admin };
        }));
      await c.db.insert(stageExitCriteria).values(criterionRows);
      counts.stage_exit_criteria = criterionRows.length;
      await c.db.insert(stageGoals).values(goalRows(orgId, nowMs, total, staff.salesDirector, setupId));
      counts.stage_goals = 7 + 4;

      const g: Gen = { orgId, seed, nowMs, staff, criteria, recent: [], extraTouches: Math.max(0, Math.floor(opts.extraTouches ?? 0)) };
      // Double buffering: batch k+1 is generated while batch k is being copied.
      let copying: Promise<void> = Promise.resolve();
      for (let from = 0; from < total; from += batchSize) {
        const to = Math.min(total, from + batchSize);
        const batch = await buildBatch(g, from, to, timings);
        await copying;
        copying = copyBatch(c, batch, counts, timings).then(() => progress(to, total, 'accounts'));
        // Awaited on the next turn or after the loop; this only keeps Node from calling it unhandled meanwhile.
        copying.catch(() => {});
      }
      await copying;
      const catalogueStarted = Date.now();
      Object.assign(counts, await seedCatalogue(c, orgId, createdAt, staff.admin));
      timings.catalogue = Date.now() - catalogueStarted;
      // Survey answers whose engagement follows share of wallet (features/surveys/demo.ts), rolled up.
      for (const [table, n] of Object.entries(await seedDemoSurveys(c.db, orgId, iso(nowMs)))) counts[table] = (counts[table] ?? 0) + n;
      counts.feedback = await seedDemoFeedback(c.db, orgId, nowMs);
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      throw e;
    }
    progress(total, total, 'done');
    return { orgId, slug, orgName, logins: demoLogins(domain), counts, ms: Date.now() - started, timings, fastLoad };
  });
}

/** Monthly stage goals (DOMAIN §6) for the last six months and this one, plus this month's per team. */
function goalRows(orgId: string, nowMs: number, accounts: number, by: string, newId: () => string) {
  const now = new Date(nowMs);
  const scale = Math.max(1, accounts / 300);
  const rows = [];
  const month = (k: number) => {
    const s = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - k, 1));
    const e = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - k + 1, 0));
    return [isoDate(s.getTime()), isoDate(e.getTime())] as const;
  };
  const targets = (f: number) => ({
    recognition_of_needs: Math.round(30 * scale * f), evaluation_of_options: Math.round(20 * scale * f),
    resolution_of_concerns: Math.round(10 * scale * f), decision: Math.round(6 * scale * f),
  });
  for (let k = 6; k >= 0; k--) {
    const [periodStart, periodEnd] = month(k);
    rows.push({ orgId, id: newId(), periodKind: 'month' as const, periodStart, periodEnd, scope: 'org' as const, targets: targets(1), createdBy: by, updatedBy: by });
  }
  const [periodStart, periodEnd] = month(0);
  for (const team of ['Europe', 'Americas', 'Asia-Pacific', 'Middle East & Africa']) {
    rows.push({ orgId, id: newId(), periodKind: 'month' as const, periodStart, periodEnd, scope: 'team' as const, team, targets: targets(0.25), createdBy: by, updatedBy: by });
  }
  return rows;
}

/**
 * First start: when the database holds no organization yet, creates the default demo and returns
 * its logins (for `npm start` to print); otherwise does nothing and returns [].
 */
export async function ensureDemo(database: Database, opts: DemoOptions = {}): Promise<DemoLogin[]> {
  const res = await database.query('select exists (select 1 from organizations) as found');
  if ((res.rows[0] as { found: boolean }).found) return [];
  return (await generateDemo(database, opts)).logins;
}

/** The rows of accounts [from, to) without a database, with placeholder users: for profiling the generator. */
export function generateRowsForProfiling(from: number, to: number, seed = DEFAULT_DEMO_SEED, nowMs = Date.UTC(2026, 10, 20), extraTouches = 0) {
  const fake = new Rng(seed, 0x7ffffffe);
  const u = () => fake.uuid(ID_BASE_MS);
  const staff: Staff = {
    admin: u(), salesDirector: u(), marketingHead: u(),
    repsByTeam: { Europe: [u(), u(), u()], Americas: [u(), u()], 'Asia-Pacific': [u(), u()], 'Middle East & Africa': [u()] },
    marketing: [u(), u()], service: u(), technical: u(), finance: u(),
  };
  const criteria = Object.fromEntries(STAGES.map((s) => [s, [u(), u()]]));
  const g: Gen = { orgId: u(), seed, nowMs, staff, criteria, recent: [], extraTouches };
  const batch = newBatch();
  for (let i = from; i < to; i++) genAccount(g, i, batch);
  return batch;
}
