import type { PrinterInfo } from '../electron/core/printing/printer-policy';
import type { Printing, PrinterPort } from '../electron/core/printing/print-port';

/**
 * The harness's printers: an office printer and a print-to-PDF printer, as a Windows terminal would list
 * them. Jobs are recorded (there is no spooler here); the printed layout itself is checked by the e2e
 * tests through Chromium's PDF rendering of the print stylesheet.
 */
export class RecordingPrinterPort implements PrinterPort {
  readonly jobs: { senderId: string; printer: string }[] = [];
  /** How long a job takes to spool (ms of real time): a slow printer, as under load, for the focus tests. */
  delayMs = 0;
  constructor(readonly installed: PrinterInfo[] = [{ name: '窓口プリンタ1' }, { name: 'Microsoft Print to PDF' }]) {}
  async list(): Promise<PrinterInfo[]> {
    return this.installed;
  }
  async print(senderId: string, printer: PrinterInfo): Promise<void> {
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    this.jobs.push({ senderId, printer: printer.name });
  }
}

export function harnessPrinting(port = new RecordingPrinterPort()): Printing & { port: RecordingPrinterPort } {
  return { port, allowedPrinters: ['窓口プリンタ1'] };
}
