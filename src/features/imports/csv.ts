/**
 * CSV text stream → records with their line numbers, through csv-parse in streaming mode.
 * The delimiter (, ; tab |) and the line ending are sniffed from the start of the file, so Excel's
 * semicolon CSVs and CRLF files parse without options; line numbers count physical lines (1-based,
 * the header is line 1) so an error names the line the user sees in an editor.
 */
import { parse } from 'csv-parse';
import { ImportError } from './rules.ts';

/** `error`: the record could not be read (e.g. an unclosed quote swallowed the rest of the file). */
export type CsvRecord = { line: number; record: string[]; error?: string };
export type CsvStream = { delimiter: string; headers: string[]; records: AsyncGenerator<CsvRecord> };

const MAX_RECORD_BYTES = 4 * 1024 * 1024;
const WRITE_CHARS = 16 * 1024;

/** Sniffs delimiter and record delimiter from the first (header) line, skipping quoted parts. */
export function sniff(head: string): { delimiter: string; recordDelimiter: string } {
  let inQuotes = false;
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0, '|': 0 };
  let recordDelimiter = '\n';
  for (let i = 0; i < head.length; i++) {
    const c = head[i]!;
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes) {
      if (c === '\r') {
        recordDelimiter = head[i + 1] === '\n' ? '\r\n' : head.length > i + 1 ? '\r' : '\r\n';
        break;
      }
      if (c === '\n') break;
      if (c in counts) counts[c]!++;
    }
  }
  let delimiter = ',';
  for (const d of [';', '\t', '|']) if (counts[d]! > counts[delimiter]!) delimiter = d;
  return { delimiter, recordDelimiter };
}

const lineBreaks = (s: string) => (s.match(/\r\n|\r|\n/g)?.length ?? 0);

/** Parses the text; the first non-empty record is the header row. An empty file has no headers and no records. */
export async function parseCsv(text: AsyncIterable<string>): Promise<CsvStream> {
  const it = text[Symbol.asyncIterator]();
  // Enough text to see the whole header line (a header row longer than this is not a header).
  let head = '';
  let ended = false;
  while (!/[\r\n]/.test(head.replace(/"[^"]*"/g, '')) || head.endsWith('\r')) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    head += r.value;
    if (head.length > 1_000_000) break;
  }
  const { delimiter, recordDelimiter } = sniff(head);
  const parser = parse({
    delimiter,
    record_delimiter: recordDelimiter,
    relax_column_count: true,
    // A stray quote inside a field is kept as text, as Excel does, rather than failing the whole file.
    relax_quotes: true,
    max_record_size: MAX_RECORD_BYTES,
    // An error must not discard the records csv-parse has already buffered: skip and report it instead.
    skip_records_with_error: true,
  });
  const skipped: { code: string; lines: number; message: string }[] = [];
  parser.on('skip', (e: Error & { code?: string; lines?: number }) => skipped.push({ code: e.code ?? '', lines: e.lines ?? 0, message: e.message }));
  // csv-parse re-slices its pending input per record: big writes cost quadratic time, so feed small pieces.
  const write = async (s: string) => {
    for (let i = 0; i < s.length; i += WRITE_CHARS) {
      if (!parser.write(s.slice(i, i + WRITE_CHARS))) await new Promise((r) => parser.once('drain', r));
    }
  };
  const feed = (async () => {
    try {
      if (head) await write(head);
      while (!ended) {
        const r = await it.next();
        if (r.done) break;
        await write(r.value);
      }
      parser.end();
    } catch (e) {
      parser.destroy(e as Error);
    }
  })();
  void feed;

  let nextLine = 1;
  let headerRead = false;
  const rows = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  const nextRecord = async (): Promise<CsvRecord | undefined> => {
    for (;;) {
      let r: IteratorResult<string[]>;
      try {
        r = await rows.next();
      } catch (e) {
        throw csvError(e, nextLine);
      }
      if (r.done) {
        const e = skipped.shift();
        if (!e || !headerRead) return undefined;
        // An unclosed quote swallows the rest of the file: it is the record that starts on the next line.
        const line = e.code === 'CSV_QUOTE_NOT_CLOSED' ? nextLine : e.lines;
        const err = csvError(e, line);
        return { line, record: [], error: err.message };
      }
      const line = nextLine;
      // One record delimiter ends each record; quoted fields may hold more line breaks.
      let breaks = 1;
      for (const f of r.value) if (f.length && (f.includes('\n') || f.includes('\r'))) breaks += lineBreaks(f);
      nextLine += breaks;
      // Blank lines carry no data: skipped, but they still count for line numbers.
      if (r.value.length === 1 && r.value[0] === '') continue;
      return { line, record: r.value };
    }
  };
  const first = await nextRecord();
  headerRead = true;
  const headers = first ? first.record.map((h) => h.trim()) : [];
  async function* records(): AsyncGenerator<CsvRecord> {
    for (;;) {
      const r = await nextRecord();
      if (!r) return;
      yield r;
    }
  }
  return { delimiter, headers, records: records() };
}

function csvError(e: unknown, line: number): Error {
  if (e instanceof ImportError) return e;
  const code = (e as { code?: string }).code ?? '';
  if (code === 'CSV_QUOTE_NOT_CLOSED') return new ImportError('csv_unclosed_quote', `A quoted field starting on line ${line} is never closed`, { line });
  if (code === 'CSV_MAX_RECORD_SIZE') return new ImportError('csv_record_too_large', `The record starting on line ${line} is larger than 4 MiB (an unclosed quote?)`, { line });
  if (code.startsWith('CSV_')) return new ImportError('csv_invalid', `Line ${line}: ${(e as Error).message}`, { line });
  return e as Error;
}
