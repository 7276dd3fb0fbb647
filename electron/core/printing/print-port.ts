import { DomainError } from '../errors';
import { assertPrinterAllowed, type PrinterInfo } from './printer-policy';

/**
 * How the core reaches printers: the shell implements it with webContents.getPrintersAsync / print
 * (silent, to the chosen device); the harness with a recorded printer. Policy decides which may be used.
 */
export interface PrinterPort {
  list(): Promise<PrinterInfo[]>;
  /** Print what the renderer identified by `senderId` shows (its print stylesheet) on `printer`. */
  print(senderId: string, printer: PrinterInfo): Promise<void>;
}

export interface Printing {
  port: PrinterPort;
  /** Printer names allowed by policy. */
  allowedPrinters: readonly string[];
}

/**
 * Prints what the renderer `senderId` shows on `printerName`, only if it is an allowed printer (policy, never
 * print-to-file/PDF). Every refusal goes through `refuse(why, error)` (which audits and throws).
 */
export async function printOnAllowedPrinter(
  printing: Printing | null,
  printerName: string,
  senderId: string,
  refuse: (why: 'no_print_service' | 'printer_refused' | 'printer_error', error: DomainError) => never,
): Promise<PrinterInfo> {
  if (!printing) return refuse('no_print_service', DomainError.failure('RULE', 'この端末には印刷サービスがありません。'));
  let printer: PrinterInfo;
  try {
    printer = assertPrinterAllowed(printerName, await printing.port.list(), printing.allowedPrinters);
  } catch (e) {
    return refuse('printer_refused', e as DomainError);
  }
  try {
    await printing.port.print(senderId, printer);
  } catch {
    return refuse('printer_error', DomainError.failure('RULE', `プリンタ（${printer.name}）で印刷できませんでした。用紙・接続を確認して、もう一度印刷してください。`));
  }
  return printer;
}
