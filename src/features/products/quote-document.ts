/**
 * The printable quote: one self-contained HTML page (inline CSS, no scripts, no external requests)
 * in the account's language. The preview shows it and headless Chromium prints it to PDF.
 */
import { productName, type QuoteLanguage } from './rules.ts';

type Labels = Record<'title' | 'number' | 'revision' | 'date' | 'validUntil' | 'to' | 'from' | 'deal' | 'code' | 'product' | 'qty' | 'unit' | 'unitPrice' | 'discount' | 'lineTotal' | 'total' | 'terms' | 'status', string>;

const LABELS: Record<QuoteLanguage, Labels> = {
  en: { title: 'Quotation', number: 'Number', revision: 'Revision', date: 'Date', validUntil: 'Valid until', to: 'To', from: 'From', deal: 'Project', code: 'Code', product: 'Product', qty: 'Qty', unit: 'Unit', unitPrice: 'Unit price', discount: 'Discount', lineTotal: 'Amount', total: 'Total', terms: 'Terms and conditions', status: 'Status' },
  'zh-CN': { title: '报价单', number: '编号', revision: '版本', date: '日期', validUntil: '有效期至', to: '客户', from: '供应商', deal: '项目', code: '型号', product: '产品', qty: '数量', unit: '单位', unitPrice: '单价', discount: '折扣', lineTotal: '金额', total: '合计', terms: '条款', status: '状态' },
  'zh-TW': { title: '報價單', number: '編號', revision: '版本', date: '日期', validUntil: '有效期至', to: '客戶', from: '供應商', deal: '專案', code: '型號', product: '產品', qty: '數量', unit: '單位', unitPrice: '單價', discount: '折扣', lineTotal: '金額', total: '合計', terms: '條款', status: '狀態' },
};

const STATUS: Record<QuoteLanguage, Record<string, string>> = {
  en: { draft: 'Draft', sent: 'Sent', accepted: 'Accepted', rejected: 'Rejected', expired: 'Expired' },
  'zh-CN': { draft: '草稿', sent: '已发送', accepted: '已接受', rejected: '已拒绝', expired: '已过期' },
  'zh-TW': { draft: '草稿', sent: '已傳送', accepted: '已接受', rejected: '已拒絕', expired: '已過期' },
};

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Money as decimal text formatted without going through a float's rounding (the stored cents are exact). */
export function formatAmount(value: string, currency: string, lang: QuoteLanguage): string {
  const [int, frac = ''] = value.replace('-', '').split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  // Cents always; the sub-cent digits of a unit price only when it has them.
  const sig = frac.replace(/0+$/, '');
  const f = sig.length > 2 ? sig : (sig + '00').slice(0, 2);
  const sym = new Intl.NumberFormat(lang, { style: 'currency', currency }).formatToParts(0).find((p) => p.type === 'currency')?.value ?? currency;
  return `${value.startsWith('-') ? '-' : ''}${sym}${grouped}.${f}`;
}

const trimQty = (q: string) => q.replace(/\.?0+$/, '') || '0';

export interface QuoteDocumentInput {
  number: string;
  revision: number;
  status: string;
  createdAt: string;
  validUntil: string;
  currency: string;
  total: string;
  terms: string | null;
  lines: { code: string; name: string; nameI18n: Record<string, string>; unit: string; description: string | null; quantity: string; unitPrice: string; discountPct: string; lineTotal: string }[];
}

export function quoteHtml(q: QuoteDocumentInput, ctx: { seller: string; customer: string; deal: string }, lang: QuoteLanguage): string {
  const L = LABELS[lang];
  const money = (v: string) => esc(formatAmount(v, q.currency, lang));
  const rows = q.lines
    .map((l, i) => `<tr>
      <td class="n">${i + 1}</td><td>${esc(l.code)}</td>
      <td><div class="pn">${esc(productName(l, lang))}</div>${l.description ? `<div class="d">${esc(l.description)}</div>` : ''}</td>
      <td class="r">${esc(trimQty(l.quantity))}</td><td>${esc(l.unit)}</td><td class="r">${money(l.unitPrice)}</td>
      <td class="r">${Number(l.discountPct) ? `${esc(trimQty(l.discountPct))}%` : ''}</td><td class="r">${money(l.lineTotal)}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${esc(L.title)} ${esc(q.number)}</title>
<style>
  body { font-family: "Noto Sans", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", Arial, sans-serif; color: #1a1b1e; margin: 32px; font-size: 13px; }
  h1 { font-size: 26px; margin: 0 0 4px; letter-spacing: 1px; }
  .head { display: flex; justify-content: space-between; align-items: flex-start; border-bottom: 2px solid #1c7ed6; padding-bottom: 12px; margin-bottom: 16px; }
  .meta td { padding: 1px 8px 1px 0; } .meta td:first-child { color: #868e96; }
  .parties { display: flex; gap: 48px; margin-bottom: 16px; } .parties div span { display: block; color: #868e96; font-size: 11px; text-transform: uppercase; }
  table.lines { width: 100%; border-collapse: collapse; } table.lines th { background: #f1f3f5; text-align: left; padding: 6px; font-weight: 600; border-bottom: 1px solid #ced4da; }
  table.lines td { padding: 6px; border-bottom: 1px solid #e9ecef; vertical-align: top; } .r { text-align: right; white-space: nowrap; } .n { color: #868e96; width: 24px; }
  .pn { font-weight: 600; } .d { color: #495057; font-size: 12px; }
  tr.total td { border-top: 2px solid #1a1b1e; border-bottom: none; font-size: 15px; font-weight: 700; }
  .terms { margin-top: 24px; white-space: pre-wrap; } .terms h2 { font-size: 14px; margin: 0 0 6px; }
  @media print { body { margin: 0; } }
</style></head>
<body>
  <div class="head">
    <div><h1>${esc(L.title)}</h1><div>${esc(ctx.seller)}</div></div>
    <table class="meta">
      <tr><td>${esc(L.number)}</td><td data-testid="quote-number"><b>${esc(q.number)}</b></td></tr>
      <tr><td>${esc(L.revision)}</td><td>${q.revision}</td></tr>
      <tr><td>${esc(L.date)}</td><td>${esc(q.createdAt.slice(0, 10))}</td></tr>
      <tr><td>${esc(L.validUntil)}</td><td>${esc(q.validUntil)}</td></tr>
      <tr><td>${esc(L.status)}</td><td>${esc(STATUS[lang][q.status] ?? q.status)}</td></tr>
    </table>
  </div>
  <div class="parties">
    <div><span>${esc(L.from)}</span>${esc(ctx.seller)}</div>
    <div><span>${esc(L.to)}</span>${esc(ctx.customer)}</div>
    <div><span>${esc(L.deal)}</span>${esc(ctx.deal)}</div>
  </div>
  <table class="lines">
    <thead><tr><th></th><th>${esc(L.code)}</th><th>${esc(L.product)}</th><th class="r">${esc(L.qty)}</th><th>${esc(L.unit)}</th><th class="r">${esc(L.unitPrice)}</th><th class="r">${esc(L.discount)}</th><th class="r">${esc(L.lineTotal)}</th></tr></thead>
    <tbody>${rows}
      <tr class="total"><td colspan="7" class="r">${esc(L.total)} (${esc(q.currency)})</td><td class="r" data-testid="quote-total">${money(q.total)}</td></tr>
    </tbody>
  </table>
  ${q.terms ? `<div class="terms"><h2>${esc(L.terms)}</h2>${esc(q.terms)}</div>` : ''}
</body></html>`;
}
