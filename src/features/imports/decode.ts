/**
 * Byte stream → text stream with the encoding detected: a BOM decides (UTF-8, UTF-16 LE/BE); without
 * one, bytes that are valid UTF-8 are UTF-8, otherwise GB18030 or Big5 (what Chinese Excel writes),
 * whichever reads as more plausible Chinese. Anything else is a clear ImportError, never garbage rows.
 */
import { createReadStream } from 'node:fs';
import iconv from 'iconv-lite';
import { ImportError } from './rules.ts';

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'big5';
const SAMPLE_BYTES = 64 * 1024;

// Frequent characters of business text in both scripts (names, addresses, titles, the commonest words).
const COMMON_HANZI = new Set(
  ('的一是不了在人有我他这個这中大来上国國到说說们們为為子和你地出道也时時年得就那要下以生会會自着去之过過家学學对對可她里裡后後小么心多天而能好都然没沒日于起还還发發成事只作当當想看文无無开開手十用主行方又如前所本见見经經头頭面公同三已老从從动動两兩长長' +
    '公司有限责責任股份集团團科技电電子照明光灯燈业業贸貿易进進出口工程设設计計制製造厂廠商店销銷售总總经經理部门門市场場采採购購主管董事长長副助财財务務人力资資源技术術研发發客户戶服务務质質量' +
    '北京上海广廣州深圳杭州南京天津重庆慶成都武汉漢西安苏蘇州东東莞佛山厦廈门門宁寧波青岛島台臺湾灣香港新加坡省市区區县縣路街道号號楼樓室园園镇鎮村大厦廈中心' +
    '姓名称稱电話话邮郵箱件地址网網站址手机機号碼码传傳真职職位称备備注註日期金额額币幣种種状狀态態类類型来來源标標签籤先生女士经經办辦')
    .split(''),
);
// Control characters are exactly what mis-decoded bytes look like.
// eslint-disable-next-line no-control-regex
const SUSPICIOUS = /[\uFFFD\u3040-\u30FF\u0370-\u03FF\u0400-\u04FF\u2500-\u257F\uE000-\uF8FF\u0000-\u0008\u000E-\u001F]/g;

function plausibility(text: string): number {
  let score = 0;
  for (const ch of text) if (COMMON_HANZI.has(ch)) score++;
  return score - 3 * (text.match(SUSPICIOUS)?.length ?? 0);
}

/** Decides the encoding from the first bytes of the file (the whole file when `wholeFileIsUtf8` was checked). */
export function detectEncoding(sample: Buffer, sampleIsWhole: boolean): { encoding: Encoding; bomLength: number } {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) {
    if (sample[2] === 0 && sample[3] === 0 && sample.length >= 4) throw new ImportError('unsupported_encoding', 'UTF-32 files are not supported: save the file as UTF-8 CSV');
    return { encoding: 'utf-16le', bomLength: 2 };
  }
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  // UTF-16 without a BOM: ASCII text has a zero in every other byte.
  const pairs = Math.min(sample.length >> 1, 512);
  if (pairs >= 4) {
    let evenZero = 0;
    let oddZero = 0;
    for (let i = 0; i < pairs; i++) {
      if (sample[2 * i] === 0) evenZero++;
      if (sample[2 * i + 1] === 0) oddZero++;
    }
    if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return { encoding: 'utf-16le', bomLength: 0 };
    if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return { encoding: 'utf-16be', bomLength: 0 };
  }
  if (sample.includes(0)) throw new ImportError('undecodable', 'This is not a text file (it contains binary data): upload a CSV or vCard file');
  if (isUtf8(sample, !sampleIsWhole)) return { encoding: 'utf-8', bomLength: 0 };
  const gb = iconv.decode(sample, 'gb18030');
  const big5 = iconv.decode(sample, 'big5');
  const [best, text] = plausibility(big5) > plausibility(gb) ? (['big5', big5] as const) : (['gb18030', gb] as const);
  const suspicious = text.match(SUSPICIOUS)?.length ?? 0;
  // Real GB18030/Big5 text decodes without replacement characters; random bytes do not.
  if (suspicious > Math.max(2, text.length * 0.002)) {
    throw new ImportError('undecodable', 'The file is not valid UTF-8, GB18030 or Big5 text: save it as "CSV UTF-8" and upload it again');
  }
  return { encoding: best, bomLength: 0 };
}

/** Valid UTF-8? A sample cut mid-character at its end still counts as valid. */
export function isUtf8(buf: Buffer, truncatedEnd: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf, { stream: truncatedEnd });
    return true;
  } catch {
    return false;
  }
}

/** Scans a whole file for UTF-8 validity in bounded memory (a late Chinese row must not be misread). */
async function fileIsUtf8(path: string): Promise<boolean> {
  const dec = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) dec.decode(chunk as Buffer, { stream: true });
    dec.decode();
    return true;
  } catch {
    return false;
  }
}

export type DecodedText = { encoding: Encoding; text: AsyncGenerator<string> };

/**
 * Decodes a byte source lazily. With a path the whole file is checked for UTF-8 first; a stream is
 * judged on its first 64 KiB, and invalid UTF-8 met later is an ImportError naming the byte offset.
 */
export async function decodeSource(source: AsyncIterable<Buffer | string>, path?: string): Promise<DecodedText> {
  const it = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headSize = 0;
  let done = false;
  while (headSize < SAMPLE_BYTES) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    const b = typeof r.value === 'string' ? Buffer.from(r.value, 'utf8') : r.value;
    head.push(b);
    headSize += b.length;
  }
  const sample = Buffer.concat(head);
  let det: { encoding: Encoding; bomLength: number };
  if (path && !done && !sample.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) && sample[0] !== 0xff && sample[0] !== 0xfe) {
    det = (await fileIsUtf8(path)) && !sample.includes(0) ? { encoding: 'utf-8', bomLength: 0 } : detectEncoding(sample, false);
  } else {
    det = detectEncoding(sample, done);
  }
  const encoding = det.encoding;
  async function* text(): AsyncGenerator<string> {
    let offset = 0;
    const chunks = (async function* () {
      yield sample.subarray(det.bomLength);
      offset += det.bomLength;
      while (!done) {
        const r = await it.next();
        if (r.done) break;
        yield typeof r.value === 'string' ? Buffer.from(r.value, 'utf8') : r.value;
      }
    })();
    if (encoding === 'utf-8') {
      const dec = new TextDecoder('utf-8', { fatal: true });
      for await (const c of chunks) {
        let s: string;
        try {
          s = dec.decode(c, { stream: true });
        } catch {
          throw new ImportError('undecodable', `Invalid UTF-8 after byte ${offset}: save the file as "CSV UTF-8" and upload it again`);
        }
        offset += c.length;
        if (s) yield s;
      }
      try {
        const tail = dec.decode();
        if (tail) yield tail;
      } catch {
        throw new ImportError('undecodable', 'The file ends in the middle of a UTF-8 character');
      }
    } else {
      const dec = iconv.getDecoder(encoding);
      for await (const c of chunks) {
        const s = dec.write(c);
        if (s) yield s;
      }
      const tail = dec.end();
      if (tail) yield tail;
    }
  }
  return { encoding, text: text() };
}
