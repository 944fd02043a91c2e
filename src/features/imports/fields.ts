/**
 * What each importable entity accepts: target fields, their value type and the column headers
 * (English and Chinese, simplified and traditional) that suggest them. Pure data, no I/O: the web
 * app's mapping wizard reads it too.
 */
import { ACCOUNT_KINDS, AISAS_STEPS, FEEDBACK_KINDS, PRICE_ORIENTATIONS, type Vocabulary } from '../vocabularies/defaults.ts';

export const IMPORT_ENTITIES = ['accounts', 'contacts', 'opportunities', 'interactions', 'orders', 'feedback', 'products', 'price_lists', 'deal_lines', 'order_lines', 'survey_answers'] as const;
export type ImportEntity = (typeof IMPORT_ENTITIES)[number];
/** What the export writes: survey answers come in from other tools but are not records of their own to export. */
export const EXPORT_ENTITIES = ['accounts', 'contacts', 'opportunities', 'interactions', 'orders', 'feedback', 'products', 'price_lists', 'deal_lines', 'order_lines'] as const satisfies readonly ImportEntity[];
export type ExportEntity = (typeof EXPORT_ENTITIES)[number];

/** The custom-field entity (features/custom-fields) of each import entity; survey answers have no custom fields. */
export const CUSTOM_FIELD_ENTITY: Record<ImportEntity, string | null> = {
  accounts: 'account', contacts: 'contact', opportunities: 'opportunity', interactions: 'interaction', orders: 'order', feedback: 'feedback',
  products: 'product', price_lists: 'price_list', deal_lines: 'opportunity_line', order_lines: 'order_line', survey_answers: null,
};

/** Entities whose rows belong to an account (named by account, account_id, account_domain or account_external_id). */
export const ACCOUNT_ENTITIES: readonly ImportEntity[] = ['contacts', 'opportunities', 'interactions', 'orders', 'feedback'];
export const belongsToAccount = (e: ImportEntity) => ACCOUNT_ENTITIES.includes(e);
/** Entities whose rows may name an account to look something up at (survey answers: a contact by name at its account) — never to create one. */
export const namesAccount = (e: ImportEntity) => belongsToAccount(e) || e === 'survey_answers';
/**
 * Entities whose rows name a product (by product_code or product): an unknown product is a row error, or created with createProducts.
 * (Feedback names none, one or several products per row, never created: product-sql.ts feedbackProductSteps.)
 */
export const PRODUCT_REF_ENTITIES: readonly ImportEntity[] = ['opportunities', 'price_lists', 'deal_lines', 'order_lines'];
export const namesProducts = (e: ImportEntity) => PRODUCT_REF_ENTITIES.includes(e);
/** Line entities: a row is one line of a deal or an order. */
export const isLineEntity = (e: ImportEntity): e is 'deal_lines' | 'order_lines' => e === 'deal_lines' || e === 'order_lines';

/** A fixed list (not a per-organization vocabulary) with labels that are accepted on import. */
export type EnumChoice = { key: string; labels: string[] };

export type FieldType =
  | { kind: 'text'; max?: number }
  | { kind: 'email' }
  | { kind: 'domain' }
  | { kind: 'url' }
  | { kind: 'int'; min?: number }
  | { kind: 'money' }
  | { kind: 'rate' }
  | { kind: 'currency' }
  | { kind: 'date' }
  | { kind: 'timestamp' }
  | { kind: 'bool' }
  | { kind: 'country' }
  /** Several values in one cell ("a; b, c"); `strict`: split on semicolons, pipes and line breaks only (names may hold commas). */
  | { kind: 'list'; strict?: boolean }
  | { kind: 'uuid' }
  | { kind: 'vocab'; vocabulary: Vocabulary }
  | { kind: 'enum'; choices: EnumChoice[] }
  /** A survey answer on a scale (0–10, or 1–5 agreement with "don't know"): rules.ts parseScale. */
  | { kind: 'scale'; min: number; max: number; dontKnow: boolean };

export type FieldDef = {
  key: string;
  type: FieldType;
  required?: boolean;
  /** Header spellings that suggest this field (compared after normalizeHeader). */
  aliases: string[];
};

const text = (max = 1000): FieldType => ({ kind: 'text', max });
const vocab = (vocabulary: Vocabulary): FieldType => ({ kind: 'vocab', vocabulary });
const choice = (key: string, ...labels: string[]): EnumChoice => ({ key, labels });

const KIND_CHOICES: EnumChoice[] = [
  choice('prospect', 'Prospect', 'Lead', '潜在客户', '潛在客戶', '意向客户', '意向客戶'),
  choice('customer', 'Customer', 'Client', '客户', '客戶', '成交客户', '成交客戶'),
  choice('partner', 'Partner', '合作伙伴', '合作夥伴', '伙伴', '夥伴'),
  choice('competitor', 'Competitor', '竞争对手', '競爭對手'),
];
// Guard: the fixed lists in defaults.ts are the contract.
if (KIND_CHOICES.map((c) => c.key).sort().join() !== [...ACCOUNT_KINDS].sort().join()) throw new Error('account kinds drifted');

const PRICE_CHOICES: EnumChoice[] = PRICE_ORIENTATIONS.map((k) =>
  ({ price: choice('price', 'Price', 'Price-oriented', '价格导向', '價格導向', '价格', '價格'),
     balanced: choice('balanced', 'Balanced', '均衡', '平衡'),
     quality: choice('quality', 'Quality', 'Quality-oriented', '质量导向', '品質導向', '质量', '品質') })[k],
);
const AISAS_CHOICES: EnumChoice[] = AISAS_STEPS.map((k) =>
  ({ attention: choice('attention', 'Attention', '注意', '关注', '關注'),
     interest: choice('interest', 'Interest', '兴趣', '興趣'),
     search: choice('search', 'Search', '搜索', '搜尋'),
     action: choice('action', 'Action', '行动', '行動'),
     share: choice('share', 'Share', '分享') })[k],
);
const CONSENT_CHOICES = [
  choice('unknown', 'Unknown', '未知'),
  choice('granted', 'Granted', 'Yes', 'Opt-in', '同意', '已同意'),
  choice('denied', 'Denied', 'No', 'Opt-out', '拒绝', '拒絕'),
];
const STATUS_CHOICES = [
  choice('open', 'Open', '进行中', '進行中', '打开', '開啟'),
  choice('won', 'Won', 'Closed won', '赢单', '贏單', '成交'),
  choice('lost', 'Lost', 'Closed lost', '输单', '輸單', '丢单', '丟單'),
];
const DIRECTION_CHOICES = [
  choice('outbound', 'Outbound', 'Out', '呼出', '外发', '外發'),
  choice('inbound', 'Inbound', 'In', '呼入', '来访', '來訪'),
  choice('internal', 'Internal', '内部', '內部'),
];

const FEEDBACK_KIND_CHOICES: EnumChoice[] = FEEDBACK_KINDS.map((k) =>
  ({ praise: choice('praise', 'Praise', 'Positive', 'Compliment', '表扬', '表揚', '好评', '好評', '褒扬', '褒揚'),
     complaint: choice('complaint', 'Complaint', 'Negative', '投诉', '投訴', '抱怨', '差评', '差評'),
     public_attack: choice('public_attack', 'Public attack', 'Attack', '公开攻击', '公開攻擊', '报复', '報復'),
     question: choice('question', 'Question', 'Inquiry', 'Enquiry', '咨询', '諮詢', '问题', '問題', '提问', '提問'),
     suggestion: choice('suggestion', 'Suggestion', 'Idea', '建议', '建議') })[k],
);
const VISIBILITY_CHOICES = [choice('public', 'Public', '公开', '公開'), choice('private', 'Private', '私下', '非公开', '非公開', '私密')];

// References to other records, shared by every entity that belongs to an account.
const ACCOUNT_REF: FieldDef[] = [
  // An Accord id, or a source system's id of the account (Salesforce "Account ID"): rules.ts derive tells them apart.
  { key: 'account_id', type: text(200), aliases: ['account id', 'company id', '客户id', '客戶id', '公司id'] },
  {
    key: 'account',
    type: text(300),
    aliases: ['account', 'account name', 'company', 'company name', 'organization', 'organisation', 'org', 'customer', 'customer name',
      '公司', '公司名称', '公司名稱', '客户', '客戶', '客户名称', '客戶名稱', '单位', '單位', '单位名称', '單位名稱', '企业', '企業', '企业名称', '企業名稱', '组织', '組織',
      'associated company', 'deal - organization', 'organization name'],
  },
  { key: 'account_domain', type: { kind: 'domain' }, aliases: ['account domain', 'company domain', 'company website', '公司网址', '公司網址', '公司域名'] },
];
// A user's email or full name ("Jane Doe"): CRMs export owners by name (rules.ts personKey).
const OWNER: FieldDef = {
  key: 'owner',
  type: text(320),
  aliases: ['owner', 'owner email', 'account owner', 'sales rep', 'salesperson', 'assigned to', '负责人', '負責人', '业务员', '業務員', '销售', '銷售', '所有者',
    'owner name', 'deal owner', 'opportunity owner', 'contact owner', 'company owner', 'record owner', 'owner full name', 'deal - owner', 'person - owner', 'organization - owner'],
};
const TAGS: FieldDef = { key: 'tags', type: { kind: 'list' }, aliases: ['tags', 'tag', 'labels', 'categories', '标签', '標籤'] };
const SOURCE: FieldDef = { key: 'source', type: vocab('lead_source'), aliases: ['source', 'lead source', '来源', '來源', '线索来源', '線索來源'] };
const AISAS: FieldDef = { key: 'aisas_step', type: { kind: 'enum', choices: AISAS_CHOICES }, aliases: ['aisas', 'aisas step', 'aisas阶段', 'aisas階段'] };
const COUNTRY: FieldDef = { key: 'country', type: { kind: 'country' }, aliases: ['country', 'country code', 'nation', '国家', '國家', '国家地区', '國家地區', '国别', '國別'] };
const CITY: FieldDef = { key: 'city', type: text(200), aliases: ['city', 'town', '城市', '市'] };

/**
 * Ids from the file's source system. `id` is an Accord id (an export's first column): the record of
 * this organization with it, or — in another organization — an external id of source "accord".
 * `external_id` is the source system's id, under `external_source` (the column, else the import's
 * externalSource option). A second import finds its records by them; references resolve by them.
 */
const EXTERNAL_IDS: FieldDef[] = [
  { key: 'id', type: { kind: 'uuid' }, aliases: ['accord id'] },
  { key: 'external_id', type: text(200), aliases: ['external id', 'record id', 'crm id', 'source id', 'opportunity id', 'deal id', 'deal - id', 'contact id', 'person - id', 'organization - id', 'lead id', 'order id', 'activity id', '外部id', '外部編號', '外部编号'] },
  { key: 'external_source', type: text(100), aliases: ['external source', 'source system', '来源系统', '來源系統'] },
];
const ACCOUNT_EXTERNAL_ID: FieldDef = {
  key: 'account_external_id',
  type: text(200),
  aliases: ['account external id', 'account record id', 'associated company id', 'associated company ids', 'company record id', 'deal - organization id', 'organization id', 'account id (external)'],
};

export const ENTITY_FIELDS = {
  accounts: [
    {
      key: 'name',
      type: text(300),
      required: true,
      aliases: ['name', 'account', 'account name', 'company', 'company name', 'organization', 'organisation', 'organization name', 'customer', 'customer name', 'business name',
        '名称', '名稱', '公司', '公司名', '公司名称', '公司名稱', '客户', '客戶', '客户名称', '客戶名稱', '企业名称', '企業名稱', '单位名称', '單位名稱', '组织', '組織'],
    },
    { key: 'kind', type: { kind: 'enum', choices: KIND_CHOICES }, aliases: ['kind', 'type', 'account type', 'relationship', '类型', '類型', '客户类型', '客戶類型'] },
    { key: 'domain', type: { kind: 'domain' }, aliases: ['domain', 'email domain', '域名'] },
    { key: 'website', type: { kind: 'url' }, aliases: ['website', 'web', 'url', 'homepage', 'web site', 'site', '网站', '網站', '网址', '網址', '官网', '官網', '主页', '主頁'] },
    { key: 'industry', type: vocab('industry'), aliases: ['industry', 'sector', 'vertical', '行业', '行業', '所属行业', '所屬行業'] },
    COUNTRY,
    { key: 'region', type: text(200), aliases: ['region', 'state', 'province', 'state/province', '地区', '地區', '省份', '省', '州'] },
    CITY,
    { key: 'address', type: text(500), aliases: ['address', 'street', 'street address', 'billing address', '地址', '详细地址', '詳細地址'] },
    { key: 'phone', type: text(100), aliases: ['phone', 'telephone', 'tel', 'main phone', 'phone number', '电话', '電話', '联系电话', '聯絡電話', '座机', '座機'] },
    { key: 'employees', type: { kind: 'int', min: 0 }, aliases: ['employees', 'headcount', 'employee count', 'number of employees', 'staff', '员工数', '員工數', '员工人数', '員工人數', '人数', '人數', '规模', '規模'] },
    { key: 'annual_revenue', type: { kind: 'money' }, aliases: ['annual revenue', 'revenue', 'turnover', '年营业额', '年營業額', '营业额', '營業額', '年收入', '营收', '營收'] },
    { key: 'total_annual_demand', type: { kind: 'money' }, aliases: ['total annual demand', 'annual demand', 'demand', '年需求', '年需求量', '年采购额', '年採購額', '采购总额', '採購總額'] },
    { key: 'demand_currency', type: { kind: 'currency' }, aliases: ['demand currency', 'currency', '币种', '幣種', '货币', '貨幣'] },
    { key: 'need_type', type: vocab('need_type'), aliases: ['need type', 'need', 'customer type', '需求类型', '需求類型', '客户需求类型', '客戶需求類型'] },
    { key: 'price_orientation', type: { kind: 'enum', choices: PRICE_CHOICES }, aliases: ['price orientation', '价格取向', '價格取向', '价格导向', '價格導向'] },
    { key: 'supplier_status', type: vocab('supplier_status'), aliases: ['supplier status', 'our status', '供应商地位', '供應商地位', '供应商状态', '供應商狀態'] },
    { key: 'relationship_depth', type: vocab('relationship_depth'), aliases: ['relationship depth', 'relationship', '关系深度', '關係深度'] },
    SOURCE,
    AISAS,
    TAGS,
    OWNER,
    ...EXTERNAL_IDS,
    // The parent in an account hierarchy: by name, Accord id or the source system's id (resolved after the file's own accounts are in).
    { key: 'parent_account', type: text(300), aliases: ['parent account', 'parent account name', 'parent company', 'parent', '母公司', '上级公司', '上級公司', '总公司', '總公司'] },
    { key: 'parent_account_id', type: text(200), aliases: ['parent account id', 'parent id', 'parent company id', 'parent record id'] },
  ],
  contacts: [
    { key: 'full_name', type: text(300), aliases: ['name', 'full name', 'contact', 'contact name', 'display name', '姓名', '名字', '联系人', '聯絡人', '联系人姓名', '聯絡人姓名', '全名'] },
    { key: 'first_name', type: text(200), aliases: ['first name', 'firstname', 'given name', 'forename', '名'] },
    { key: 'last_name', type: text(200), aliases: ['last name', 'lastname', 'surname', 'family name', '姓'] },
    { key: 'title', type: text(300), aliases: ['title', 'job title', 'position', 'role', 'job', '职位', '職位', '职务', '職務', '头衔', '頭銜', '岗位', '崗位'] },
    { key: 'department', type: text(200), aliases: ['department', 'dept', 'division', '部门', '部門'] },
    { key: 'language', type: text(35), aliases: ['language', 'lang', 'preferred language', '语言', '語言'] },
    { key: 'email', type: { kind: 'email' }, aliases: ['email', 'e-mail', 'email address', 'e-mail address', 'mail', 'work email', '邮箱', '郵箱', '电子邮件', '電子郵件', '电子邮箱', '電子郵箱', '邮件', '郵件', '邮件地址', '郵件地址'] },
    { key: 'phone', type: text(100), aliases: ['phone', 'telephone', 'tel', 'work phone', 'business phone', 'phone number', 'office phone', '电话', '電話', '办公电话', '辦公電話', '座机', '座機', '联系电话', '聯絡電話'] },
    { key: 'mobile', type: text(100), aliases: ['mobile', 'mobile phone', 'cell', 'cell phone', 'cellphone', 'handy', '手机', '手機', '手机号', '手機號', '移动电话', '行動電話'] },
    COUNTRY,
    CITY,
    { key: 'consent', type: { kind: 'enum', choices: CONSENT_CHOICES }, aliases: ['consent', 'marketing consent', 'opt in', '同意营销', '同意行銷', '营销许可', '行銷許可'] },
    { key: 'do_not_email', type: { kind: 'bool' }, aliases: ['do not email', 'unsubscribed', 'email opt out', '退订', '退訂', '拒收邮件', '拒收郵件'] },
    SOURCE,
    AISAS,
    TAGS,
    OWNER,
    ...ACCOUNT_REF,
    ...EXTERNAL_IDS,
    ACCOUNT_EXTERNAL_ID,
  ],
  opportunities: [
    { key: 'name', type: text(300), required: true, aliases: ['name', 'opportunity', 'opportunity name', 'deal', 'deal name', 'project', 'project name', '商机', '商機', '商机名称', '商機名稱', '项目', '項目', '项目名称', '項目名稱', 'deal - title', 'title'] },
    { key: 'amount', type: { kind: 'money' }, aliases: ['amount', 'value', 'deal value', 'deal size', '金额', '金額', '预计金额', '預計金額', 'deal - value'] },
    { key: 'currency', type: { kind: 'currency' }, aliases: ['currency', '币种', '幣種', '货币', '貨幣', 'deal - currency', 'opportunity currency'] },
    { key: 'expected_close', type: { kind: 'date' }, aliases: ['expected close', 'expected close date', 'expected closing date', '预计成交日期', '預計成交日期', '预计成交', '預計成交', 'deal - expected close date'] },
    // The deal's own history: when it was created or engaged in the source, and when it actually closed
    // (an open deal's close date is its expected close).
    { key: 'opened_at', type: { kind: 'timestamp' }, aliases: ['created date', 'create date', 'created', 'created at', 'created on', 'creation date', 'deal - deal created', 'deal created', 'engage date', 'engaged date', 'engagement date', 'opened at', 'open date', 'opened',
      '创建日期', '創建日期', '创建时间', '創建時間', '建立日期', '建立時間', '立项日期', '立項日期'] },
    { key: 'closed_at', type: { kind: 'timestamp' }, aliases: ['close date', 'closed date', 'deal - deal closed on', 'deal closed on', 'deal - close time', 'closed at', 'closed on', 'date closed', 'actual close date', 'close', 'won date', 'lost date',
      '成交日期', '实际成交日期', '實際成交日期', '关闭日期', '關閉日期', '结单日期', '結單日期'] },
    { key: 'buying_situation', type: vocab('buying_situation'), aliases: ['buying situation', 'purchase type', '采购类型', '採購類型', '购买情形', '購買情形'] },
    { key: 'buying_stage', type: vocab('buying_stage'), aliases: ['buying stage', 'stage', 'sales stage', '阶段', '階段', '采购阶段', '採購階段', '销售阶段', '銷售階段', 'deal stage', 'deal - stage', 'opportunity stage'] },
    { key: 'status', type: { kind: 'enum', choices: STATUS_CHOICES }, aliases: ['status', 'state', '状态', '狀態', 'deal - status'] },
    { key: 'lost_reason', type: vocab('lost_reason'), aliases: ['lost reason', 'loss reason', '丢单原因', '丟單原因', '输单原因', '輸單原因', 'deal - lost reason', 'closed lost reason'] },
    { key: 'need_type', type: vocab('need_type'), aliases: ['need type', '需求类型', '需求類型'] },
    SOURCE,
    { key: 'competitors', type: { kind: 'list' }, aliases: ['competitors', 'competition', '竞争对手', '競爭對手'] },
    TAGS,
    OWNER,
    ...ACCOUNT_REF,
    ...EXTERNAL_IDS,
    ACCOUNT_EXTERNAL_ID,
  ],
  interactions: [
    { key: 'kind', type: vocab('interaction_kind'), required: true, aliases: ['kind', 'type', 'activity type', 'channel', '类型', '類型', '方式', '互动类型', '互動類型'] },
    { key: 'direction', type: { kind: 'enum', choices: DIRECTION_CHOICES }, aliases: ['direction', '方向'] },
    { key: 'subject', type: text(500), aliases: ['subject', 'title', 'summary', '主题', '主題', '标题', '標題'] },
    { key: 'body', type: text(100_000), aliases: ['body', 'notes', 'note', 'description', 'details', 'content', '内容', '內容', '备注', '備註', '详情', '詳情'] },
    { key: 'occurred_at', type: { kind: 'timestamp' }, required: true, aliases: ['occurred at', 'date', 'time', 'datetime', 'when', 'activity date', '日期', '时间', '時間', '发生时间', '發生時間'] },
    { key: 'duration_minutes', type: { kind: 'int', min: 0 }, aliases: ['duration', 'duration minutes', 'minutes', '时长', '時長', '分钟', '分鐘'] },
    AISAS,
    SOURCE,
    OWNER,
    // One or several participants' emails (an export lists them all: "a@x.com; b@x.com").
    { key: 'contact_email', type: { kind: 'list' }, aliases: ['contact email', 'participant email', 'attendee email', '联系人邮箱', '聯絡人郵箱', 'email', '邮箱', '郵箱'] },
    ...ACCOUNT_REF,
    ...EXTERNAL_IDS,
    ACCOUNT_EXTERNAL_ID,
  ],
  orders: [
    { key: 'order_number', type: text(100), aliases: ['order number', 'order no', 'order #', 'order', 'order id', 'po', 'po number', '订单号', '訂單號', '订单编号', '訂單編號', '单号', '單號'] },
    { key: 'ordered_at', type: { kind: 'date' }, required: true, aliases: ['ordered at', 'order date', 'date', '下单日期', '下單日期', '订单日期', '訂單日期', '日期'] },
    { key: 'amount', type: { kind: 'money' }, required: true, aliases: ['amount', 'total', 'order total', 'value', '金额', '金額', '订单金额', '訂單金額', '总额', '總額'] },
    { key: 'currency', type: { kind: 'currency' }, aliases: ['currency', '币种', '幣種', '货币', '貨幣'] },
    { key: 'fx_rate', type: { kind: 'rate' }, aliases: ['fx rate', 'exchange rate', 'rate', 'fx', '汇率', '匯率'] },
    { key: 'status', type: text(50), aliases: ['status', '状态', '狀態'] },
    { key: 'description', type: text(10_000), aliases: ['description', 'notes', 'items', 'product', '描述', '说明', '說明', '备注', '備註', '产品', '產品'] },
    ...ACCOUNT_REF,
    ...EXTERNAL_IDS,
    ACCOUNT_EXTERNAL_ID,
  ],
} as Record<ImportEntity, FieldDef[]>;

ENTITY_FIELDS.feedback = [
  { key: 'text', type: text(20_000), required: true, aliases: ['text', 'review', 'review text', 'comment', 'comments', 'feedback', 'content', 'body', 'message', '评价', '評價', '评论', '評論', '内容', '內容', '反馈', '回饋', '留言', '评价内容', '評價內容'] },
  { key: 'kind', type: { kind: 'enum', choices: FEEDBACK_KIND_CHOICES }, aliases: ['kind', 'type', 'feedback type', '类型', '類型', '反馈类型', '回饋類型'] },
  { key: 'channel', type: vocab('feedback_channel'), aliases: ['channel', 'platform', 'site', 'where', '渠道', '平台', '来源渠道', '來源渠道'] },
  { key: 'rating', type: { kind: 'money' }, aliases: ['rating', 'stars', 'score', 'star rating', '评分', '評分', '星级', '星級', '打分'] },
  { key: 'rating_scale', type: { kind: 'int', min: 2 }, aliases: ['rating scale', 'scale', 'out of', 'max rating', '满分', '滿分'] },
  { key: 'language', type: text(35), aliases: ['language', 'lang', '语言', '語言'] },
  { key: 'source_url', type: { kind: 'url' }, aliases: ['url', 'link', 'source url', 'source link', '链接', '連結', '网址', '網址'] },
  { key: 'occurred_at', type: { kind: 'timestamp' }, aliases: ['occurred at', 'date', 'time', 'posted', 'posted at', 'review date', '日期', '时间', '時間', '发布时间', '發布時間', '评价时间', '評價時間'] },
  { key: 'visibility', type: { kind: 'enum', choices: VISIBILITY_CHOICES }, aliases: ['visibility', 'public', '可见性', '可見性'] },
  { key: 'person_name', type: text(300), aliases: ['name', 'author', 'reviewer', 'customer name', 'user', 'nickname', '姓名', '作者', '用户', '用戶', '昵称', '暱稱'] },
  { key: 'person_contact', type: text(320), aliases: ['contact detail', 'phone', 'wechat', '联系方式', '聯絡方式', '微信', '电话', '電話'] },
  { key: 'contact_email', type: { kind: 'email' }, aliases: ['email', 'contact email', 'e-mail', '邮箱', '郵箱'] },
  OWNER,
  ...ACCOUNT_REF,
  ...EXTERNAL_IDS,
  ACCOUNT_EXTERNAL_ID,
];


// ── Products, price lists and lines (issue #16; docs/import.md "Products, prices and lines") ──

const LIFECYCLE_CHOICES: EnumChoice[] = [
  choice('new', 'New', 'Launch', '新品', '新产品', '新產品'),
  choice('current', 'Current', 'Active', 'In production', '在售', '现行', '現行', '量产', '量產'),
  choice('phased_out', 'Phased out', 'Discontinued', 'End of life', 'EOL', '停产', '停產', '淘汰', '已停产', '已停產'),
];
// A product named by its code (SKU) or its name (any of its translations); the code wins when both are given.
const PRODUCT_REF: FieldDef[] = [
  { key: 'product_code', type: text(100), aliases: ['product code', 'sku', 'item code', 'part number', 'part no', 'model', 'model number', 'article number', 'code',
    '产品编号', '產品編號', '产品代码', '產品代碼', '物料编码', '物料編碼', '型号', '型號', '货号', '貨號', '编码', '編碼'] },
  { key: 'product', type: text(300), aliases: ['product', 'product name', 'item', 'item name', 'line item', '产品', '產品', '产品名称', '產品名稱', '品名', '商品', '商品名称', '商品名稱'] },
];
// Feedback may be about several products: codes (any list separator) or names (semicolons only: a name may hold a comma).
ENTITY_FIELDS.feedback.push(
  { ...PRODUCT_REF[0]!, type: { kind: 'list' } },
  { ...PRODUCT_REF[1]!, type: { kind: 'list', strict: true } },
);
const QUANTITY: FieldDef = { key: 'quantity', type: { kind: 'money' }, aliases: ['quantity', 'qty', 'units', 'amount of units', '数量', '數量', '件数', '件數'] };
const LINE_PRICE: FieldDef[] = [
  { key: 'unit_price', type: { kind: 'money' }, aliases: ['unit price', 'price', 'sales price', 'price each', 'unit cost', '单价', '單價', '售价', '售價', '价格', '價格'] },
  { key: 'discount_pct', type: { kind: 'money' }, aliases: ['discount', 'discount %', 'discount pct', 'discount percent', '折扣', '折扣率', '折扣%'] },
  { key: 'discount_reason', type: text(1000), aliases: ['discount reason', 'reason for discount', '折扣原因', '折扣理由'] },
];
const LINE_FIELDS: FieldDef[] = [
  // The line's place on its deal or order (1, 2, 3…); two lines of one product need it to tell them apart.
  { key: 'line_no', type: { kind: 'int', min: 1 }, aliases: ['line no', 'line number', 'line', 'position', 'item no', '行号', '行號', '序号', '序號', '项次', '項次'] },
  ...PRODUCT_REF,
  { ...QUANTITY, required: true },
  ...LINE_PRICE,
  { key: 'description', type: text(2000), aliases: ['description', 'line description', 'notes', '描述', '说明', '說明', '备注', '備註'] },
];

ENTITY_FIELDS.products = [
  { key: 'code', type: text(100), required: true, aliases: ['code', 'product code', 'sku', 'item code', 'part number', 'model', 'model number', 'article number',
    '产品编号', '產品編號', '产品代码', '產品代碼', '物料编码', '物料編碼', '型号', '型號', '货号', '貨號', '编码', '編碼'] },
  { key: 'name', type: text(300), required: true, aliases: ['name', 'product', 'product name', 'item name', 'title', '名称', '名稱', '产品', '產品', '产品名称', '產品名稱', '品名', '商品名称', '商品名稱'] },
  { key: 'name_en', type: text(300), aliases: ['name en', 'english name', 'name english', '英文名称', '英文名稱', '英文名'] },
  { key: 'name_zh_cn', type: text(300), aliases: ['name zh cn', 'simplified chinese name', 'chinese name', '中文名称', '中文名稱', '简体名称', '簡體名稱'] },
  { key: 'name_zh_tw', type: text(300), aliases: ['name zh tw', 'traditional chinese name', '繁体名称', '繁體名稱'] },
  { key: 'product_line', type: vocab('product_line'), aliases: ['product line', 'line', 'category', 'product category', 'series', 'family', 'product family', '产品线', '產品線', '系列', '类别', '類別', '产品类别', '產品類別'] },
  { key: 'unit', type: text(20), aliases: ['unit', 'uom', 'unit of measure', '单位', '單位', '计量单位', '計量單位'] },
  { key: 'description', type: text(10_000), aliases: ['description', 'details', 'notes', '描述', '说明', '說明', '产品描述', '產品描述'] },
  { key: 'active', type: { kind: 'bool' }, aliases: ['active', 'enabled', 'is active', 'available', '启用', '啟用', '有效'] },
  { key: 'lifecycle', type: { kind: 'enum', choices: LIFECYCLE_CHOICES }, aliases: ['lifecycle', 'life cycle', 'lifecycle status', 'product status', 'status', '生命周期', '生命週期', '状态', '狀態'] },
  { key: 'first_of_kind', type: { kind: 'bool' }, aliases: ['first of kind', 'first of its kind', 'novel', 'new to market', '首创', '首創'] },
  ...EXTERNAL_IDS,
];

// One row per price (a volume tier): the list by name, the product, from which quantity, at what unit price.
ENTITY_FIELDS.price_lists = [
  { key: 'price_list', type: text(200), required: true, aliases: ['price list', 'price list name', 'pricelist', 'price book', 'list', '价目表', '價目表', '价格表', '價格表', '价目表名称', '價目表名稱'] },
  { key: 'currency', type: { kind: 'currency' }, aliases: ['currency', '币种', '幣種', '货币', '貨幣'] },
  { key: 'valid_from', type: { kind: 'date' }, aliases: ['valid from', 'effective from', 'start date', 'from date', '生效日期', '开始日期', '開始日期'] },
  { key: 'valid_to', type: { kind: 'date' }, aliases: ['valid to', 'valid until', 'effective to', 'end date', 'expiry date', '失效日期', '截止日期', '结束日期', '結束日期'] },
  { key: 'is_default', type: { kind: 'bool' }, aliases: ['is default', 'default', 'default list', '默认', '默認', '預設'] },
  ...PRODUCT_REF,
  { key: 'min_quantity', type: { kind: 'money' }, aliases: ['min quantity', 'minimum quantity', 'from quantity', 'quantity from', 'tier', 'moq', 'break quantity', '起订量', '起訂量', '最小数量', '最小數量', '起始数量', '起始數量'] },
  { key: 'unit_price', type: { kind: 'money' }, required: true, aliases: ['unit price', 'price', 'list price', 'sales price', '单价', '單價', '价格', '價格', '售价', '售價'] },
];

// A deal's lines: the deal by its id (Accord's or the source system's) or by its name (with its account when names repeat).
ENTITY_FIELDS.deal_lines = [
  { key: 'opportunity_id', type: text(200), aliases: ['opportunity id', 'deal id', 'opportunity record id', '商机id', '商機id'] },
  { key: 'opportunity', type: text(300), aliases: ['opportunity', 'opportunity name', 'deal', 'deal name', 'project', '商机', '商機', '商机名称', '商機名稱', '项目', '項目'] },
  { key: 'account', type: text(300), aliases: ['account', 'account name', 'company', 'customer', '公司', '客户', '客戶', '客户名称', '客戶名稱'] },
  { key: 'fx_rate', type: { kind: 'rate' }, aliases: ['fx rate', 'exchange rate', '汇率', '匯率'] },
  ...LINE_FIELDS,
];

// An order's lines: the order by its number or its id.
ENTITY_FIELDS.order_lines = [
  { key: 'order_number', type: text(100), aliases: ['order number', 'order no', 'order #', 'order', 'po', 'po number', '订单号', '訂單號', '订单编号', '訂單編號', '单号', '單號'] },
  { key: 'order_id', type: text(200), aliases: ['order id', 'order record id', '订单id', '訂單id'] },
  ...LINE_FIELDS,
];

// A deal imported with a product (and a quantity) gets that line; its amount is then the line's total.
ENTITY_FIELDS.opportunities.push(...PRODUCT_REF, QUANTITY, ...LINE_PRICE,
  { key: 'fx_rate', type: { kind: 'rate' }, aliases: ['fx rate', 'exchange rate', '汇率', '匯率'] });

/**
 * Survey results collected with another tool (features/surveys, docs/engagement.md): who answered
 * (a contact by email, or by name at an account), when, the rational questions (0–10) and up to four
 * agreement items (1–5, "don't know") per emotional level. Scored with the same rules as an answer
 * given through an Accord link.
 */
const scale10: FieldType = { kind: 'scale', min: 0, max: 10, dontKnow: false };
const agree5: FieldType = { kind: 'scale', min: 1, max: 5, dontKnow: true };
/** The emotional levels and their Chinese names (simplified, traditional) for column headers. */
export const SURVEY_LEVEL_NAMES = { confidence: ['信心', '信任'], integrity: ['诚信', '誠信', '公正'], pride: ['自豪', '骄傲', '驕傲'], passion: ['热爱', '熱愛', '激情'] } as const;
export const SURVEY_ITEMS_PER_LEVEL = 4;
export const SURVEY_LEVEL_FIELDS: { key: string; level: keyof typeof SURVEY_LEVEL_NAMES }[] = Object.keys(SURVEY_LEVEL_NAMES).flatMap((level) =>
  Array.from({ length: SURVEY_ITEMS_PER_LEVEL }, (_, i) => ({ key: `${level}_${i + 1}`, level: level as keyof typeof SURVEY_LEVEL_NAMES })));

ENTITY_FIELDS.survey_answers = [
  { key: 'contact_email', type: { kind: 'email' }, aliases: ['email', 'e-mail', 'email address', 'respondent email', 'contact email', '邮箱', '郵箱', '电子邮件', '電子郵件', '邮件地址', '郵件地址'] },
  { key: 'contact_name', type: text(300), aliases: ['name', 'full name', 'contact', 'contact name', 'respondent', 'respondent name', '姓名', '联系人', '聯絡人', '受访者', '受訪者', '答卷人'] },
  { key: 'answered_at', type: { kind: 'timestamp' }, required: true, aliases: ['answered at', 'date', 'response date', 'submitted', 'submitted at', 'completed', 'completed at', 'end date', 'date submitted', 'timestamp', '日期', '答卷时间', '答卷時間', '提交时间', '提交時間', '回复日期', '回覆日期'] },
  { key: 'survey', type: text(200), aliases: ['survey', 'survey name', 'questionnaire', '问卷', '問卷', '调查', '調查', '问卷名称', '問卷名稱'] },
  { key: 'satisfaction', type: scale10, aliases: ['satisfaction', 'overall satisfaction', 'csat', '满意度', '滿意度', '总体满意度', '總體滿意度'] },
  { key: 'continue', type: scale10, aliases: ['continue', 'intention to continue', 'continuation', 'repurchase', 'likely to continue', 'retention', '继续合作', '繼續合作', '续约意向', '續約意向', '继续采购', '繼續採購'] },
  { key: 'recommend', type: scale10, aliases: ['recommend', 'nps', 'nps score', 'likelihood to recommend', 'likely to recommend', 'would recommend', 'net promoter score', '推荐', '推薦', '推荐意愿', '推薦意願', '推荐可能性', '推薦可能性', '净推荐值', '淨推薦值'] },
  ...SURVEY_LEVEL_FIELDS.map(({ key, level }): FieldDef => {
    const n = key.slice(level.length + 1);
    return { key, type: agree5, aliases: [`${level} ${n}`, `${level}${n}`, `${level} q${n}`, ...SURVEY_LEVEL_NAMES[level].map((z) => `${z}${n}`)] };
  }),
  { key: 'comment', type: text(5000), aliases: ['comment', 'comments', 'what should we do better', 'feedback', 'suggestion', 'open answer', '意见', '意見', '建议', '建議', '评论', '評論', '留言'] },
  { key: 'language', type: text(35), aliases: ['language', 'lang', '语言', '語言'] },
  ...ACCOUNT_REF,
  { key: 'external_id', type: text(200), aliases: ['external id', 'response id', 'respondent id', 'response', 'record id', 'submission id', '答卷编号', '答卷編號', '回复编号', '回覆編號'] },
  { key: 'external_source', type: text(100), aliases: ['external source', 'source system', '来源系统', '來源系統'] },
  ACCOUNT_EXTERNAL_ID,
];

export function fieldsOf(entity: ImportEntity): FieldDef[] {
  return ENTITY_FIELDS[entity];
}
