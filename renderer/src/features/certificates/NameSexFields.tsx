/** 通称名/本名 (when a 通称名 is registered) and whether sex is printed (国保 types: on the reverse). */
export function NameSexFields(props: {
  aliasName: string | null;
  sexChoice: boolean;
  nameChoice: 'real' | 'alias';
  printSex: boolean;
  setNameChoice(v: 'real' | 'alias'): void;
  setPrintSex(v: boolean): void;
  errors: Record<string, string>;
}) {
  const { aliasName, sexChoice, nameChoice, printSex, errors } = props;
  return (
    <>
      {aliasName && (
        <fieldset>
          <legend>印字する氏名</legend>
          <label className="radio">
            <input type="radio" name="nameChoice" checked={nameChoice === 'real'} onChange={() => props.setNameChoice('real')} />
            本名
          </label>
          <label className="radio">
            <input type="radio" name="nameChoice" checked={nameChoice === 'alias'} onChange={() => props.setNameChoice('alias')} />
            通称名（{aliasName}）
          </label>
          {errors.nameChoice && (
            <div className="field__error" role="alert">
              {errors.nameChoice}
            </div>
          )}
        </fieldset>
      )}
      {sexChoice && (
        <div className="cert-check">
          <label className="check">
            <input type="checkbox" checked={printSex} onChange={(e) => props.setPrintSex(e.target.checked)} />
            性別を裏面に記載する
          </label>
          <div className="field__hint">記載を希望しない申出があった場合は外してください。外すと性別は印字されません。</div>
          {errors.printSex && (
            <div className="field__error" role="alert">
              {errors.printSex}
            </div>
          )}
        </div>
      )}
    </>
  );
}
