/**
 * The default vocabularies every new organization starts with (DOMAIN.md §2–§7). Keys are stable
 * identifiers stored on records; labels are per locale and editable per organization.
 * This file is imported by the web app too: zod-free, I/O-free.
 */
export type Label = { en: string; 'zh-CN': string; 'zh-TW': string };
export type Term = { key: string; label: Label; meta?: Record<string, unknown> };

const t = (key: string, en: string, zhCN: string, zhTW: string, meta?: Record<string, unknown>): Term => ({
  key,
  label: { en, 'zh-CN': zhCN, 'zh-TW': zhTW },
  ...(meta ? { meta } : {}),
});

export const VOCABULARIES = [
  'need_type',
  'buying_stage',
  'buying_situation',
  'buying_role',
  'supplier_status',
  'relationship_depth',
  'interaction_kind',
  'lost_reason',
  'lead_source',
  'contact_link_type',
  'industry',
  'product_line',
  'feedback_channel',
] as const;
export type Vocabulary = (typeof VOCABULARIES)[number];

export const DEFAULT_VOCABULARIES: Record<Vocabulary, Term[]> = {
  // §4: need type first — it decides how we follow up.
  need_type: [
    t('importer', 'Importer', '进口商', '進口商'),
    t('brand_owner', 'Brand owner', '品牌商', '品牌商'),
    t('designer', 'Designer', '设计师', '設計師'),
    t('engineering_contractor', 'Engineering contractor', '工程商', '工程商'),
    t('distributor', 'Distributor', '分销商', '分銷商'),
    t('end_user', 'End user', '终端用户', '終端用戶'),
  ],
  // §6, after Rackham. `rank` orders the steps; goals and funnels count "reached rank ≥ n".
  buying_stage: [
    t('recognition_of_needs', 'Recognition of needs', '需求确认', '需求確認', { rank: 1 }),
    t('evaluation_of_options', 'Evaluation of options', '方案评估', '方案評估', { rank: 2 }),
    t('resolution_of_concerns', 'Resolution of concerns', '消除顾虑', '消除顧慮', { rank: 3 }),
    t('decision', 'Decision', '决策', '決策', { rank: 4 }),
    t('implementation', 'Implementation', '实施', '實施', { rank: 5 }),
  ],
  // §2: the buying situation sets the size of the buying center. `complexity` 1 (rebuy) … 3 (new task).
  buying_situation: [
    t('new_task', 'New task', '新购', '新購', { complexity: 3 }),
    t('modified_rebuy', 'Modified rebuy', '修正重购', '修正重購', { complexity: 2 }),
    t('straight_rebuy', 'Straight rebuy', '直接重购', '直接重購', { complexity: 1 }),
  ],
  // §2: the seven roles of the buying center.
  buying_role: [
    t('initiator', 'Initiator', '发起者', '發起者'),
    t('user', 'User', '使用者', '使用者'),
    t('influencer', 'Influencer', '影响者', '影響者'),
    t('decider', 'Decider', '决策者', '決策者'),
    t('approver', 'Approver', '审批者', '審批者'),
    t('buyer', 'Buyer', '购买者', '購買者'),
    t('gatekeeper', 'Gatekeeper', '守门人', '守門人'),
  ],
  // §6: how the customer sees us. `level` orders them; a fall in level raises an alert.
  supplier_status: [
    t('provisional', 'Provisional', '资格未定', '資格未定', { level: 2 }),
    t('preferred', 'Preferred', '优选', '優選', { level: 3 }),
    t('strategic', 'Strategic', '战略', '戰略', { level: 4 }),
    t('passively_phased_out', 'Passively phased out', '消极淘汰', '消極淘汰', { level: 1 }),
    t('actively_phased_out', 'Actively phased out', '积极淘汰', '積極淘汰', { level: 0 }),
  ],
  // §6 (004): transactional → service → strategic alliance.
  relationship_depth: [
    t('transactional', 'Transactional', '交易型', '交易型', { level: 1 }),
    t('service', 'Service', '服务型', '服務型', { level: 2 }),
    t('strategic_alliance', 'Strategic alliance', '战略联盟', '戰略聯盟', { level: 3 }),
  ],
  interaction_kind: [
    t('email', 'Email', '邮件', '郵件'),
    t('call', 'Call', '电话', '電話'),
    t('meeting', 'Meeting', '会议', '會議'),
    t('visit', 'Visit', '拜访', '拜訪'),
    t('trade_fair', 'Trade fair', '展会', '展會'),
    t('webinar', 'Webinar', '网络研讨会', '網路研討會'),
    t('message', 'Message', '消息', '訊息'),
    t('survey_answer', 'Survey answer', '调查回复', '調查回覆'),
    t('review', 'Review', '评价', '評價'),
  ],
  lost_reason: [
    t('price', 'Price', '价格', '價格'),
    t('product_fit', 'Product fit', '产品不匹配', '產品不匹配'),
    t('competitor_relationship', 'Competitor relationship', '竞争对手关系', '競爭對手關係'),
    t('timing', 'Timing', '时机', '時機'),
    t('no_decision', 'No decision', '未决策', '未決策'),
    t('risk', 'Perceived risk', '感知风险', '感知風險'),
  ],
  // §7: where buyers find suppliers (001: 45 % search engines, 34 % peer reviews, 29 % video sites).
  lead_source: [
    t('search_engine', 'Search engine', '搜索引擎', '搜尋引擎'),
    t('peer_review', 'Peer review', '同行评价', '同行評價'),
    t('video_site', 'Video site', '视频网站', '影音網站'),
    t('social_network', 'Social network', '社交网络', '社群網路'),
    t('trade_fair', 'Trade fair', '展会', '展會'),
    t('referral', 'Referral', '推荐', '推薦'),
    t('website', 'Website', '官网', '官網'),
    t('outbound', 'Outbound', '主动开发', '主動開發'),
  ],
  contact_link_type: [
    t('colleague', 'Colleague', '同事', '同事'),
    t('reports_to', 'Reports to', '汇报给', '匯報給'),
    t('former_colleague', 'Former colleague', '前同事', '前同事'),
    t('same_association', 'Same association', '同一协会', '同一協會'),
    t('friend', 'Friend', '朋友', '朋友'),
    t('referred_by', 'Referred by', '推荐人', '推薦人'),
  ],
  industry: [
    t('lighting', 'Lighting', '照明', '照明'),
    t('construction', 'Construction', '建筑', '建築'),
    t('retail', 'Retail', '零售', '零售'),
    t('hospitality', 'Hospitality', '酒店', '飯店'),
    t('public_sector', 'Public sector', '公共部门', '公共部門'),
    t('manufacturing', 'Manufacturing', '制造', '製造'),
    t('architecture_design', 'Architecture & design', '建筑设计', '建築設計'),
    t('wholesale', 'Wholesale', '批发', '批發'),
  ],
  // What a product belongs to (issue #16): share of wallet and the double funnel read per line.
  product_line: [
    t('standard', 'Standard products', '标准产品', '標準產品'),
    t('custom', 'Custom products', '定制产品', '訂製產品'),
    t('accessories', 'Accessories', '配件', '配件'),
    t('services', 'Services', '服务', '服務'),
  ],
  // §9 (001): where customers speak. `public`: others hear it too; `slaFactor` shortens a complaint's
  // deadlines (news media and government bodies amplify a problem most, a personal circle least).
  feedback_channel: [
    t('brand_community', 'Own brand community', '品牌社区', '品牌社群', { public: true, slaFactor: 0.75 }),
    t('news_media', 'News media', '新闻媒体', '新聞媒體', { public: true, slaFactor: 0.25 }),
    t('government', 'Government body', '政府机构', '政府機構', { public: true, slaFactor: 0.25 }),
    t('trade_association', 'Trade association', '行业协会', '行業協會', { public: true, slaFactor: 0.5 }),
    t('personal_circle', 'Personal circle / purchasing group', '个人圈子（采购群）', '個人圈子（採購群）', { public: false, slaFactor: 0.75 }),
    t('online_forum', 'Online forum', '网络论坛', '網路論壇', { public: true, slaFactor: 0.5 }),
    t('social_media', 'Social media', '社交媒体', '社群媒體', { public: true, slaFactor: 0.5 }),
    t('review_site', 'Review site', '评价网站', '評價網站', { public: true, slaFactor: 0.5 }),
    t('email', 'Email', '邮件', '郵件', { public: false, slaFactor: 1 }),
    t('phone', 'Phone', '电话', '電話', { public: false, slaFactor: 1 }),
    t('visit', 'Visit', '拜访', '拜訪', { public: false, slaFactor: 1 }),
    t('survey', 'Survey', '调查问卷', '調查問卷', { public: false, slaFactor: 1 }),
  ],
};

/** Fixed lists (not per-organization): they carry rules, not vocabulary. */
export const ATTITUDES = ['champion', 'supporter', 'neutral', 'skeptic', 'blocker'] as const;
export const AISAS_STEPS = ['attention', 'interest', 'search', 'action', 'share'] as const;
export const ROLES = ['admin', 'manager', 'rep', 'viewer'] as const;
export const ACCOUNT_KINDS = ['prospect', 'customer', 'partner', 'competitor'] as const;
export const PRICE_ORIENTATIONS = ['price', 'balanced', 'quality'] as const;
export const FEEDBACK_KINDS = ['praise', 'complaint', 'public_attack', 'question', 'suggestion'] as const;
export const JOURNEY_STEPS = ['needs_analysis', 'solution_design', 'product_selection', 'supplier_screening', 'after_sales'] as const;
export const PORTFOLIO_TYPES = ['key', 'development', 'maintenance', 'opportunity'] as const;
