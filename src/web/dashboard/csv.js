/**
 * CSV (RFC 4180) of a rendered table: its header row and body rows exactly as their cells read, so
 * the file holds what the page shows. Fields that a spreadsheet would run as a formula (a rep named
 * "=cmd…") get a leading apostrophe, the common guard against CSV injection; numbers pass as they are.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/** @param {string} text */
export function csvField(text) {
  const safe = FORMULA_START.test(text) && !NUMBER.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** @param {HTMLTableElement} table a header cell's `data-csv` names it with its unit */
export function tableRows(table) {
  const head = table.tHead ? [...table.tHead.rows] : [];
  return [...head, ...table.tBodies[0].rows].map((row) => [...row.cells].map((cell) => cell.dataset.csv ?? cell.textContent.trim()));
}

/** @param {string[][]} rows */
export function toCsv(rows) {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Offers the CSV as a download. @param {string} filename @param {string} csv */
export function download(filename, csv) {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
