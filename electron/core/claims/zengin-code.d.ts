/** Typings for the untyped `zengin-code` package (全銀 bank and branch codes, data only, MIT). */
declare module 'zengin-code' {
  export type ZenginBranch = { code: string; name: string; kana: string; hira: string; roma: string };
  export type ZenginBank = ZenginBranch & { branches: Record<string, ZenginBranch> };
  const data: Record<string, ZenginBank>;
  export default data;
}
