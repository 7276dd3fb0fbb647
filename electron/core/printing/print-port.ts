import type { PrinterInfo } from './printer-policy';

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
