// The ledger as files officials file and forward: .xlsx (a typed Chinese header row, dates as real
// dates, column widths, the header frozen) and UTF-8 CSV with a BOM (so Excel reads the Chinese).
// Both are streamed a store page at a time, so 100k cases never sit in memory at once.
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { LedgerColumn, LedgerRow } from './ledger.js';

type Pages = AsyncIterable<{ columns: LedgerColumn[]; rows: LedgerRow[] }>;

const BEIJING_OFFSET_MS = 8 * 3600_000;

/** An instant as the Beijing calendar date Excel shows (Excel dates carry no time zone). */
const excelDate = (iso: string) => {
  const local = new Date(Date.parse(iso) + BEIJING_OFFSET_MS);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()));
};

// One style object per kind of cell, shared by every cell of that kind: exceljs recognises a style
// object it has seen (by reference) instead of working each cell's style out again, which halves the
// time a 100k-row export takes.
const DATE_STYLE: Partial<ExcelJS.Style> = { numFmt: 'yyyy-mm-dd' };
const TEXT_STYLE: Partial<ExcelJS.Style> = {};

export async function writeXlsx(pages: Pages, out: Writable, sheetName = '台账') {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  let sheet: ExcelJS.Worksheet | null = null;
  for await (const { columns, rows } of pages) {
    const styles = columns.map((c) => (c.type === 'date' ? DATE_STYLE : TEXT_STYLE));
    if (!sheet) {
      sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
      sheet.columns = columns.map((c, i) => ({ header: c.header, key: String(i), width: c.width ?? Math.max(10, c.header.length * 2 + 2) }));
      sheet.getRow(1).font = { bold: true };
      sheet.getRow(1).commit();
    }
    for (const row of rows) {
      const added = sheet.addRow(row.cells.map((v, i) => (v !== null && columns[i].type === 'date' ? excelDate(v) : v)));
      added.eachCell((cell, n) => void (cell.style = styles[n - 1]));
      added.commit();
    }
  }
  sheet?.commit();
  await workbook.commit();
}

/** A cell as CSV text; a leading = + - @ is quoted away so a spreadsheet never runs it as a formula. */
function csvCell(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export async function writeCsv(pages: Pages, out: Writable) {
  let first = true;
  for await (const { columns, rows } of pages) {
    let chunk = first ? '\uFEFF' + columns.map((c) => csvCell(c.header)).join(',') + '\r\n' : '';
    first = false;
    for (const row of rows) {
      chunk += row.cells.map((v, i) => csvCell(v !== null && columns[i].type === 'date' ? excelDate(v).toISOString().slice(0, 10) : v)).join(',') + '\r\n';
    }
    if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
  }
  out.end();
}
