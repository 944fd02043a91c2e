import type { Label } from '../vocabularies/defaults.ts';

// One seeding for every organization, the demo's included.
export { seedVocabularies } from '../vocabularies/commands.ts';

/** Exit criteria per buying stage: what must be true before a deal may be moved on (DOMAIN §6). */
export const DEFAULT_STAGE_EXIT_CRITERIA: Record<string, Label[]> = {
  recognition_of_needs: [
    { en: 'Needs confirmed in writing', 'zh-CN': '需求已书面确认', 'zh-TW': '需求已書面確認' },
    { en: 'Budget owner identified', 'zh-CN': '已识别预算负责人', 'zh-TW': '已識別預算負責人' },
  ],
  evaluation_of_options: [
    { en: 'Specification and quantities received', 'zh-CN': '已收到规格和数量', 'zh-TW': '已收到規格和數量' },
    { en: 'Samples or spec sheets sent', 'zh-CN': '已寄送样品或规格书', 'zh-TW': '已寄送樣品或規格書' },
    { en: 'Competing suppliers known', 'zh-CN': '已了解竞争供应商', 'zh-TW': '已了解競爭供應商' },
  ],
  resolution_of_concerns: [
    { en: 'Every perceived risk has a mitigation', 'zh-CN': '每项感知风险都有应对措施', 'zh-TW': '每項感知風險都有應對措施' },
    { en: 'References or test reports shared', 'zh-CN': '已提供案例或检测报告', 'zh-TW': '已提供案例或檢測報告' },
  ],
  decision: [
    { en: 'Decider met in person', 'zh-CN': '已与决策者面谈', 'zh-TW': '已與決策者面談' },
    { en: 'Commercial terms agreed', 'zh-CN': '商务条款已确认', 'zh-TW': '商務條款已確認' },
  ],
  implementation: [
    { en: 'First shipment delivered', 'zh-CN': '首批货物已交付', 'zh-TW': '首批貨物已交付' },
    { en: 'After-sales contact introduced', 'zh-CN': '已介绍售后联系人', 'zh-TW': '已介紹售後聯絡人' },
  ],
};
