import { describe, expect, it } from 'vitest';
import { DomainError } from '../../errors';
import { type PrinterInfo, PrinterRefusedError, allowedPrinters, assertPrinterAllowed, isVirtualPrinter } from '../printer-policy';

// Shapes as returned by webContents.getPrintersAsync() on Windows and on Linux (CUPS).
const WIN: PrinterInfo[] = [
  { name: 'Microsoft Print to PDF', displayName: 'Microsoft Print to PDF', options: {} },
  { name: 'Microsoft XPS Document Writer', displayName: 'Microsoft XPS Document Writer', options: {} },
  { name: 'OneNote (Desktop)', displayName: 'OneNote (Desktop)', options: {} },
  { name: 'OneNote for Windows 10', displayName: 'OneNote for Windows 10', options: {} },
  { name: 'Fax', displayName: 'Fax', options: {} },
  { name: '窓口1F-複合機', displayName: '窓口1F 複合機 (RICOH)', options: {} },
  { name: '\\\\prn01\\市民課-証明書', displayName: '市民課 証明書プリンタ', options: {} },
];
const CUPS: PrinterInfo[] = [
  { name: 'PDF', displayName: 'PDF', options: { 'device-uri': 'cups-pdf:/', 'printer-make-and-model': 'Generic CUPS-PDF Printer (w/ options)' } },
  { name: 'Office', displayName: 'Office', options: { 'device-uri': 'file:///tmp/out.prn', 'printer-make-and-model': 'Generic PostScript Printer' } },
  { name: 'Kyocera_2F', displayName: 'Kyocera 2F', options: { 'device-uri': 'ipp://192.0.2.10/ipp/print', 'printer-make-and-model': 'Kyocera ECOSYS M3655idn' } },
];

describe('isVirtualPrinter', () => {
  it('recognises print-to-file, PDF, XPS, OneNote, fax and Send To printers by name (case-insensitive)', () => {
    for (const name of [
      'Microsoft Print to PDF',
      'Microsoft XPS Document Writer',
      'Save as PDF',
      'save as pdf',
      'Adobe PDF',
      'CutePDF Writer',
      'OneNote (Desktop)',
      'Send To OneNote 2016',
      'Fax',
      'PC-FAX',
      'Print to File',
      'CUPS-PDF',
      'ＰＤＦ出力', // full-width, NFKC-normalised
      'ファイルへ出力',
    ]) {
      expect(isVirtualPrinter({ name }), name).toBe(true);
    }
  });

  it('looks at the make-and-model and the device URI, not just the name', () => {
    expect(isVirtualPrinter({ name: 'Office', options: { 'device-uri': 'file:///tmp/out.prn' } })).toBe(true);
    expect(isVirtualPrinter({ name: 'Virtual', options: { 'device-uri': 'cups-pdf:/' } })).toBe(true);
    expect(isVirtualPrinter({ name: 'Kyocera', options: { 'printer-make-and-model': 'Generic CUPS-PDF Printer' } })).toBe(true);
    expect(isVirtualPrinter({ name: 'Office', displayName: 'Microsoft Print to PDF' })).toBe(true);
  });

  it('accepts real printers', () => {
    for (const p of [...CUPS.slice(2), WIN[5], WIN[6]]) expect(isVirtualPrinter(p as PrinterInfo), (p as PrinterInfo).name).toBe(false);
    expect(isVirtualPrinter({ name: 'Fairfax Office LaserJet' })).toBe(false);
    expect(isVirtualPrinter({ name: 'Brother HL-L5100DN', options: { 'device-uri': 'socket://192.0.2.20:9100' } })).toBe(false);
  });
});

describe('allowedPrinters', () => {
  it('is the exact-name intersection of installed and policy printers, in policy order', () => {
    const r = allowedPrinters(WIN, ['\\\\prn01\\市民課-証明書', '窓口1F-複合機', '窓口1f-複合機']);
    expect(r.printers.map((p) => p.name)).toEqual(['\\\\prn01\\市民課-証明書', '窓口1F-複合機']);
    expect(r.issues).toEqual([{ printer: '窓口1f-複合機', kind: 'not-installed', message: expect.stringContaining('見つかりません') }]);
  });

  it('drops a virtual printer the policy lists and reports it as a misconfiguration', () => {
    const r = allowedPrinters(WIN, ['Microsoft Print to PDF', '窓口1F-複合機']);
    expect(r.printers.map((p) => p.name)).toEqual(['窓口1F-複合機']);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ printer: 'Microsoft Print to PDF', kind: 'virtual' });
    expect(r.issues[0]?.message).toContain('ポリシーを修正してください');
  });

  it('catches a policy printer that is virtual only by its device URI', () => {
    const r = allowedPrinters(CUPS, ['Office', 'Kyocera_2F']);
    expect(r.printers.map((p) => p.name)).toEqual(['Kyocera_2F']);
    expect(r.issues.map((i) => [i.printer, i.kind])).toEqual([['Office', 'virtual']]);
  });

  it('is empty when the policy allows nothing', () => {
    expect(allowedPrinters(WIN, [])).toEqual({ printers: [], issues: [] });
  });
});

describe('assertPrinterAllowed', () => {
  const policy = ['窓口1F-複合機', 'Microsoft Print to PDF', '存在しないプリンタ'];

  function refusal(name: string, all: PrinterInfo[] = WIN, allowed: string[] = policy): PrinterRefusedError {
    try {
      assertPrinterAllowed(name, all, allowed);
    } catch (e) {
      if (e instanceof PrinterRefusedError) return e;
      throw e;
    }
    throw new Error(`expected ${name} to be refused`);
  }

  it('returns an allowed, installed, real printer', () => {
    expect(assertPrinterAllowed('窓口1F-複合機', WIN, policy)).toBe(WIN[5]);
    expect(assertPrinterAllowed('Kyocera_2F', CUPS, ['Kyocera_2F']).displayName).toBe('Kyocera 2F');
  });

  it('refuses Microsoft Print to PDF even though the policy lists it', () => {
    const e = refusal('Microsoft Print to PDF');
    expect(e).toBeInstanceOf(DomainError);
    expect(e.code).toBe('FORBIDDEN');
    expect(e.refusal).toBe('virtual');
    expect(e.message).toMatch(/^ファイルやPDFへの印刷はできません（Microsoft Print to PDF）/);
    expect(e.message).toContain('使用できるプリンタ: 窓口1F 複合機 (RICOH)');
  });

  it('refuses a printer the policy lists but which does not exist here', () => {
    const e = refusal('存在しないプリンタ');
    expect(e.refusal).toBe('unknown');
    expect(e.message).toMatch(/^このプリンタは許可されていません（存在しないプリンタ はこの端末に見つかりません）/);
  });

  it('refuses an installed printer the policy does not list, and near-miss names', () => {
    expect(refusal('\\\\prn01\\市民課-証明書')).toMatchObject({ refusal: 'not-allowed' });
    expect(refusal('\\\\prn01\\市民課-証明書').message).toMatch(/^このプリンタは許可されていません（/);
    expect(refusal('窓口1F-複合機 ')).toMatchObject({ refusal: 'unknown' });
  });

  it('refuses virtual printers detected by device URI and an empty name (the OS default printer)', () => {
    expect(refusal('Office', CUPS, ['Office']).refusal).toBe('virtual');
    expect(refusal('PDF', CUPS, ['PDF']).message).toContain('ファイルやPDFへの印刷はできません');
    const empty = refusal('', WIN, policy);
    expect(empty.refusal).toBe('unknown');
    expect(empty.message).toContain('プリンタが指定されていません');
  });

  it('tells staff when no printer at all is usable', () => {
    expect(refusal('Fax', WIN, ['Fax']).message).toContain('この端末で使用できるプリンタはありません');
  });
});
