import type { PrinterInfo } from '../electron/core/printing/printer-policy';
import type { Printing, PrinterPort } from '../electron/core/printing/print-port';

/**
 * The harness's printers: an office printer and a print-to-PDF printer, as a Windows terminal would list
 * them. Jobs are recorded (there is no spooler here); the printed layout itself is checked by the e2e
 * tests through Chromium's PDF rendering of the print stylesheet.
 */
export class RecordingPrinterPort implements PrinterPort {
  readonly jobs: { senderId: string; printer: string }[] = [];
  constructor(readonly installed: PrinterInfo[] = [{ name: '窓口プリンタ1' }, { name: 'Microsoft Print to PDF' }]) {}
  async list(): Promise<PrinterInfo[]> {
    return this.installed;
  }
  async print(senderId: string, printer: PrinterInfo): Promise<void> {
    this.jobs.push({ senderId, printer: printer.name });
  }
}

export function harnessPrinting(port = new RecordingPrinterPort()): Printing & { port: RecordingPrinterPort } {
  return { port, allowedPrinters: ['窓口プリンタ1'] };
}
