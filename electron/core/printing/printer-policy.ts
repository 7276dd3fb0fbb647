import { DomainError } from '../errors';

/**
 * Printer guard. Spec: "printing goes only to printers allowed by policy, never to a print-to-file/PDF
 * printer." Virtual printers are refused even when the policy lists them: a PDF or file on disk is an
 * uncontrolled copy of 特定個人情報, which is exactly what the export rules forbid.
 */

/** The shape of Electron's `webContents.getPrintersAsync()` results (only what we use). */
export interface PrinterInfo {
  name: string;
  displayName?: string;
  options?: Record<string, string>;
}

/** Names, drivers and descriptions of printers that write a file or send the page elsewhere. */
const VIRTUAL_PATTERNS: readonly RegExp[] = [
  /pdf/, // Microsoft Print to PDF, Save as PDF, CUPS-PDF, Adobe PDF, PDFCreator, CutePDF, PDF24, Bullzip…
  /xps/, // Microsoft XPS Document Writer
  /one\s*note/, // OneNote, Send To OneNote, OneNote (Desktop)
  /(^|[^a-z])fax/, // Fax, Microsoft Fax, PC-FAX (but not "Fairfax")
  /send\s*to\b/,
  /print\s*to\s*file|file\s*printer|(^|[^a-z])to\s*file\b/,
  /document\s*writer|image\s*writer|print\s*to\s*image|virtual\s*printer/,
  /snagit|evernote|microsoft\s*print\s*to/,
  /ファイルへ出力|ファイルに出力|ファクス|ファックス|仮想プリンタ/,
];

/** CUPS backends and Windows ports that write files instead of paper. */
const VIRTUAL_URI = /^(file|cups-pdf|pdf[\w-]*|cups-brf|portprompt|nul|xpsport)(:|$)/;

function norm(s: string | undefined): string {
  return (s ?? '').normalize('NFKC').toLowerCase().trim();
}

/** True for print-to-file, PDF, XPS, OneNote, fax and similar printers (fails closed on look-alike names). */
export function isVirtualPrinter(p: PrinterInfo): boolean {
  const opts = p.options ?? {};
  const texts = [p.name, p.displayName, opts['printer-make-and-model'], opts['printer-info'], opts['driver-name'], opts['port-name']].map(norm);
  if (texts.some((t) => t && VIRTUAL_PATTERNS.some((re) => re.test(t)))) return true;
  const uri = norm(opts['device-uri']);
  return uri !== '' && (VIRTUAL_URI.test(uri) || /pdf/.test(uri));
}

export interface PrinterPolicyIssue {
  printer: string;
  /** virtual: the policy lists a print-to-file/PDF printer (a misconfiguration); not-installed: no such printer here. */
  kind: 'virtual' | 'not-installed';
  /** Japanese, for IT (startup log / admin screen). */
  message: string;
}

export interface AllowedPrinters {
  /** Installed printers the policy allows, in policy order, virtual printers removed. */
  printers: PrinterInfo[];
  issues: PrinterPolicyIssue[];
}

/** The printers staff may choose: installed ∩ policy (exact names), minus virtual printers. */
export function allowedPrinters(all: readonly PrinterInfo[], policyAllowed: readonly string[]): AllowedPrinters {
  const printers: PrinterInfo[] = [];
  const issues: PrinterPolicyIssue[] = [];
  for (const name of new Set(policyAllowed)) {
    const installed = all.find((p) => p.name === name);
    if (isVirtualPrinter({ name }) || (installed && isVirtualPrinter(installed))) {
      issues.push({
        printer: name,
        kind: 'virtual',
        message: `ポリシーの許可プリンタに、ファイルやPDFへ出力するプリンタ（${name}）が含まれています。このプリンタは使用できません。ポリシーを修正してください。`,
      });
    } else if (!installed) {
      issues.push({ printer: name, kind: 'not-installed', message: `ポリシーで許可されたプリンタ（${name}）がこの端末に見つかりません。` });
    } else {
      printers.push(installed);
    }
  }
  return { printers, issues };
}

export type PrinterRefusal = 'unknown' | 'not-allowed' | 'virtual';

/** Printing to this printer is refused. The message is Japanese and safe to show to staff. */
export class PrinterRefusedError extends DomainError {
  constructor(
    readonly refusal: PrinterRefusal,
    readonly printer: string,
    message: string,
  ) {
    super('FORBIDDEN', message);
    this.name = 'PrinterRefusedError';
  }
}

/**
 * Checks the printer a print job is about to use and returns it. Refuses an empty name (Electron would use
 * the OS default printer, which may be a PDF printer), virtual printers, unknown and not-allowed printers.
 */
export function assertPrinterAllowed(name: string, all: readonly PrinterInfo[], policyAllowed: readonly string[]): PrinterInfo {
  const { printers } = allowedPrinters(all, policyAllowed);
  const choices = printers.length > 0 ? `使用できるプリンタ: ${printers.map((p) => p.displayName || p.name).join('、')}` : 'この端末で使用できるプリンタはありません。IT担当者に連絡してください';
  if (!name.trim()) {
    throw new PrinterRefusedError('unknown', name, `このプリンタは許可されていません（プリンタが指定されていません）。${choices}。`);
  }
  const installed = all.find((p) => p.name === name);
  if (isVirtualPrinter({ name }) || (installed && isVirtualPrinter(installed))) {
    throw new PrinterRefusedError('virtual', name, `ファイルやPDFへの印刷はできません（${name}）。${choices}。`);
  }
  if (!installed) {
    throw new PrinterRefusedError('unknown', name, `このプリンタは許可されていません（${name} はこの端末に見つかりません）。${choices}。`);
  }
  if (!policyAllowed.includes(name)) {
    throw new PrinterRefusedError('not-allowed', name, `このプリンタは許可されていません（${name}）。${choices}。`);
  }
  return installed;
}
