/**
 * The default item bank, written for Accord (not taken from any published questionnaire): the
 * dimensions come from the seed (confidence, integrity, pride, passion above the rational needs),
 * the sentences are our own. Every organization can edit its copy (survey-item-bank setting);
 * a new survey starts from the organization's bank. No server imports: the web app shows these.
 */
import type { Item } from './rules.ts';

export const DEFAULT_ITEMS: Item[] = [
  {
    id: 'sat',
    kind: 'score10',
    role: 'satisfaction',
    text: {
      en: 'All things considered — price, speed, efficiency — how satisfied are you with what we deliver?',
      'zh-CN': '综合价格、速度和效率来看，您对我们提供的产品和服务有多满意？',
      'zh-TW': '綜合價格、速度和效率來看，您對我們提供的產品和服務有多滿意？',
    },
  },
  {
    id: 'cont',
    kind: 'score10',
    role: 'continue',
    text: {
      en: 'How likely is it that your company will still be buying from us a year from now?',
      'zh-CN': '一年以后，贵公司仍在向我们采购的可能性有多大？',
      'zh-TW': '一年以後，貴公司仍在向我們採購的可能性有多大？',
    },
  },
  {
    id: 'rec',
    kind: 'score10',
    role: 'recommend',
    text: {
      en: 'How likely are you to recommend us to a peer in another company?',
      'zh-CN': '您向其他公司的同行推荐我们的可能性有多大？',
      'zh-TW': '您向其他公司的同行推薦我們的可能性有多大？',
    },
  },
  {
    id: 'conf1',
    kind: 'agree5',
    level: 'confidence',
    text: {
      en: 'When they commit to a date or a specification, it is met.',
      'zh-CN': '他们承诺的交期和规格，都能做到。',
      'zh-TW': '他們承諾的交期和規格，都能做到。',
    },
  },
  {
    id: 'conf2',
    kind: 'agree5',
    level: 'confidence',
    text: {
      en: 'I can rely on what my contact person there tells me.',
      'zh-CN': '对接人告诉我的事情，我可以放心依靠。',
      'zh-TW': '對接人告訴我的事情，我可以放心依靠。',
    },
  },
  {
    id: 'intg1',
    kind: 'agree5',
    level: 'integrity',
    text: {
      en: 'We are treated fairly, even when a problem is on our side.',
      'zh-CN': '即使问题出在我们这边，他们也公平地对待我们。',
      'zh-TW': '即使問題出在我們這邊，他們也公平地對待我們。',
    },
  },
  {
    id: 'intg2',
    kind: 'agree5',
    level: 'integrity',
    text: {
      en: 'When something goes wrong, they put it right without us having to chase them.',
      'zh-CN': '出了问题时，不用我们催，他们就会主动解决。',
      'zh-TW': '出了問題時，不用我們催，他們就會主動解決。',
    },
  },
  {
    id: 'prid1',
    kind: 'agree5',
    level: 'pride',
    text: {
      en: 'I am glad to tell others in my company that we work with this supplier.',
      'zh-CN': '我乐于告诉公司里的其他人，我们在和这家供应商合作。',
      'zh-TW': '我樂於告訴公司裡的其他人，我們在和這家供應商合作。',
    },
  },
  {
    id: 'prid2',
    kind: 'agree5',
    level: 'pride',
    text: {
      en: 'Working with them makes our own work look good.',
      'zh-CN': '和他们合作，让我们自己的工作也更有面子。',
      'zh-TW': '和他們合作，讓我們自己的工作也更有面子。',
    },
  },
  {
    id: 'pass1',
    kind: 'agree5',
    level: 'passion',
    text: {
      en: 'It would be hard to find another supplier that suits us as well.',
      'zh-CN': '很难再找到一家像他们这样适合我们的供应商。',
      'zh-TW': '很難再找到一家像他們這樣適合我們的供應商。',
    },
  },
  {
    id: 'pass2',
    kind: 'agree5',
    level: 'passion',
    text: {
      en: 'They understand our business and bring us ideas we would not have had ourselves.',
      'zh-CN': '他们懂我们的业务，能带来我们自己想不到的好主意。',
      'zh-TW': '他們懂我們的業務，能帶來我們自己想不到的好主意。',
    },
  },
  {
    id: 'better',
    kind: 'text',
    text: {
      en: 'What should we do better?',
      'zh-CN': '我们哪些方面应该做得更好？',
      'zh-TW': '我們哪些方面應該做得更好？',
    },
  },
];
