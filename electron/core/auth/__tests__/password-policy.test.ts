import { describe, expect, it } from 'vitest';
import {
  checkPasswordStrength,
  kanaToRomaji,
  kanaToRomajiVariants,
  PASSWORD_PROBLEM_ORDER,
  type PasswordProblemCode,
  type PasswordRules,
  type PasswordSubject,
} from '../password-policy';
import { COMMON_PASSWORD_WORDS } from '../password-words';

const YAMADA: PasswordSubject = { staffId: 'A0001', name: '山田　太郎', nameKana: 'ヤマダ タロウ' };
const RULES: PasswordRules = { minLength: 12 };

const codes = (password: string, rules: PasswordRules = RULES, subject: PasswordSubject = YAMADA): PasswordProblemCode[] =>
  checkPasswordStrength(password, rules, subject).map((p) => p.code);

/** Every password a test below refuses, for the checks on the messages. */
const REFUSED = [
  'Password2026!',
  'P@ssw0rd12345',
  'Qwerty!2026xx',
  'aaaB1!xyzw99z',
  'abcd!XYZ7890q',
  'zzA0001#Kq9v!',
  'yamada!2026XY',
  'Tarou#2026abc',
  'Taro#2026abcX',
  '山田2026abcdEF',
  'ｐａｓｓｗｏｒｄ１２３４５',
  'Xr7!pL2#vQ9',
  'Xq7!Xq7!Xq7!',
  'kawanagarenoyoruhos',
  'Zqwer#7Lm!2V',
  'Xq7!abcdLm2#',
  'Love#2026!%8',
  'パスワード2026xY!',
  '            ',
];

describe('checkPasswordStrength: the passwords named in the spec', () => {
  it.each(['Kawa-no-Nagare-2026', 'tsuki to hoshi no yoru ga suki', 'Xr7!pL2#vQ9z'])('accepts %s', (password) => {
    expect(checkPasswordStrength(password, RULES, YAMADA)).toEqual([]);
  });

  it.each(['Hikari-no-Michi#7', 'Ume ga saku koro 2026', 'correct horse battery staple', 'かわのながれとよるのそら7', '  Xr7!pL2#vQ9z  '])(
    'accepts other realistic passwords: %s',
    (password) => {
      expect(codes(password)).toEqual([]);
    },
  );

  it.each([
    ['Password2026!', 'dictionary'],
    ['P@ssw0rd12345', 'dictionary'],
    ['Qwerty!2026xx', 'keyboard'],
    ['aaaB1!xyzw99z', 'repeated'],
    ['abcd!XYZ7890q', 'sequence'],
    ['zzA0001#Kq9v!', 'contains_id'],
    ['ｐａｓｓｗｏｒｄ１２３４５', 'dictionary'],
  ] as const)('refuses %s (%s)', (password, code) => {
    expect(codes(password)).toContain(code);
  });

  it("refuses the person's name, romanised from the kana or as typed", () => {
    expect(codes('yamada!2026XY')).toContain('contains_name');
    expect(codes('Tarou#2026abc')).toContain('contains_name');
    expect(codes('Taro#2026abcX')).toContain('contains_name');
    expect(codes('山田2026abcdEF')).toContain('contains_name');
  });

  it('reports every problem once, in a stable order', () => {
    expect(codes('P@ssw0rd12345')).toEqual(['dictionary', 'keyboard', 'sequence']);
    expect(codes('passpass')).toEqual(['too_short', 'dictionary', 'repeated', 'low_variety']);
    expect(codes('山田2026abcdEF')).toEqual(['contains_name', 'dictionary', 'sequence']);
    for (const password of REFUSED) {
      const got = codes(password);
      expect(new Set(got).size).toBe(got.length);
      expect([...got].sort((a, b) => PASSWORD_PROBLEM_ORDER.indexOf(a) - PASSWORD_PROBLEM_ORDER.indexOf(b))).toEqual(got);
      expect(codes(password)).toEqual(got);
    }
  });
});

describe('length', () => {
  it('refuses below the minimum and says by how much, counting characters as typed', () => {
    expect(checkPasswordStrength('Xr7!pL2#vQ9', RULES, YAMADA)).toEqual([
      { code: 'too_short', message: 'パスワードは12文字以上にしてください（現在11文字）' },
    ]);
    expect(codes('Xr7!pL2#vQ9z')).toEqual([]);
    expect(codes('Ｘｒ７！ｐＬ２＃ｖＱ９ｚ')).toEqual([]);
    expect(codes('Ｘｒ７！ｐＬ２＃ｖＱ９')).toEqual(['too_short']);
  });

  it("follows the policy's minimum", () => {
    const rules = { minLength: 16 };
    expect(checkPasswordStrength('Xr7!pL2#vQ9zMk4', rules, YAMADA)).toEqual([
      { code: 'too_short', message: 'パスワードは16文字以上にしてください（現在15文字）' },
    ]);
    expect(codes('Xr7!pL2#vQ9zMk4%', rules)).toEqual([]);
  });

  it('falls back to 12 when the minimum is not a usable number', () => {
    for (const minLength of [Number.NaN, 0, -5, Number.POSITIVE_INFINITY]) {
      expect(codes('Xr7!pL2#vQ9', { minLength })).toEqual(['too_short']);
      expect(codes('Xr7!pL2#vQ9z', { minLength })).toEqual([]);
    }
  });

  it('refuses above the maximum (256 unless the rules say otherwise)', () => {
    const long = 'Xr7!pL2#vQ9z'.repeat(30);
    expect(codes(long.slice(0, 256))).toEqual([]);
    expect(checkPasswordStrength(long.slice(0, 257), RULES, YAMADA)).toEqual([
      { code: 'too_long', message: 'パスワードは256文字以下にしてください（現在257文字）' },
    ]);
    expect(codes(long.slice(0, 20), { minLength: 12, maxLength: 20 })).toEqual([]);
    expect(codes(long.slice(0, 21), { minLength: 12, maxLength: 20 })).toEqual(['too_long']);
  });

  it('still reports what is wrong in an over-long password, but does not inspect a huge paste', () => {
    expect(codes('x'.repeat(300))).toEqual(['too_long', 'repeated']);
    expect(codes('x'.repeat(1_000_000))).toEqual(['too_long']);
  });
});

describe('whitespace', () => {
  it('refuses a password of nothing but whitespace', () => {
    expect(checkPasswordStrength('            ', RULES, YAMADA)).toEqual([{ code: 'whitespace_only', message: '空白だけのパスワードは使えません' }]);
    expect(codes('\u3000\u3000\u3000')).toEqual(['too_short', 'whitespace_only']);
    expect(codes(' \t\n'.repeat(5))).toEqual(['whitespace_only']);
  });

  it('treats an empty password as too short only', () => {
    expect(codes('')).toEqual(['too_short']);
  });

  it('allows leading and trailing whitespace and spaces inside', () => {
    expect(codes(' Xr7!pL2#vQ9z')).toEqual([]);
    expect(codes('Xr7!pL2#vQ9z\u3000')).toEqual([]);
    expect(codes('Xr7! pL2# vQ9z')).toEqual([]);
  });
});

describe('own staff ID', () => {
  it('refuses the ID anywhere, in any case or width, with or without separators', () => {
    for (const password of ['zzA0001#Kq9v!', 'Kq9v!a0001#zz', 'Kq9v!Ａ０００１#zz', 'Kq9v!A-0001#zz']) {
      expect(codes(password)).toContain('contains_id');
    }
    expect(codes('Kq9v!A0002#zz')).not.toContain('contains_id');
  });

  it('checks IDs of three characters or more only', () => {
    const subject = (staffId: string): PasswordSubject => ({ staffId, name: '李 偉' });
    expect(codes('Qm#ab7!pL2vQ9z', RULES, subject('AB'))).toEqual([]);
    expect(codes('Qm#ab7!pL2vQ9z', RULES, subject('AB7'))).toEqual(['contains_id']);
  });
});

describe("the person's name", () => {
  it('refuses the kanji parts as typed, the kana reading and its romanisations', () => {
    for (const password of ['Xr7!山田#pL2vQ', 'Xr7!太郎#pL2vQ', 'Xr7!ヤマダ#pL2vQ', 'Xr7!やまだ#pL2vQ', 'Xr7!TAROU#pL2vQ', 'Xr7!Y4m4d4#pL2', 'Xr7!t4r0#pL2vQ']) {
      expect(codes(password)).toContain('contains_name');
    }
    expect(codes('Xr7!山#pL2vQ9z')).toEqual([]);
    expect(codes('Xr7!tar#pL2vQ9z')).toEqual([]);
  });

  it('skips name parts that are too short to mean anything', () => {
    const single: PasswordSubject = { staffId: 'B0002', name: '林　一', nameKana: 'イイ ユウ' };
    expect(codes('Xr7!林一#pL2vQ9z', RULES, single)).toEqual([]);
    expect(codes('Kii#2026Xr7!q', RULES, single)).toEqual([]); // 'ii' is two letters
    expect(codes('Xr7!イイ#pL2vQ9z', RULES, single)).toEqual(['contains_name']); // two kana as typed
    expect(codes('Yu#Xr7!pL2vQ9z', RULES, single)).toEqual([]);
    expect(codes('Yuu#Xr7!pL2vQ9z', RULES, single)).toEqual(['contains_name']);
  });

  it('handles a name typed in Latin letters (parts of three letters or more)', () => {
    const latin: PasswordSubject = { staffId: 'C0003', name: 'Li Wei' };
    expect(codes('Li#Xr7!pL2vQ9zk', RULES, latin)).toEqual([]);
    expect(codes('Wei#Xr7!pL2vQ9z', RULES, latin)).toEqual(['contains_name']);
  });

  it('works without a kana reading and with an empty name', () => {
    expect(codes('Xr7!tarou#pL2vQ', RULES, { staffId: 'A0001', name: '山田　太郎' })).toEqual([]);
    expect(codes('Xr7!pL2#vQ9z', RULES, { staffId: '', name: '' })).toEqual([]);
  });
});

describe('kanaToRomaji (Hepburn)', () => {
  it.each([
    ['ヤマダ', 'yamada'],
    ['タロウ', 'tarou'],
    ['シンイチ', 'shinichi'],
    ['キョウコ', 'kyouko'],
    ['ジュン', 'jun'],
    ['チャン', 'chan'],
    ['ハットリ', 'hattori'],
    ['マッチ', 'matchi'],
    ['ラーメン', 'raamen'],
    ['ファイル', 'fairu'],
    ['ヅヂヲ', 'zujio'],
    ['ふじわら', 'fujiwara'],
    ['ﾔﾏﾀﾞ', 'yamada'],
  ])('%s → %s', (kana, romaji) => {
    expect(kanaToRomaji(kana)).toBe(romaji);
  });

  it('also gives the simplified spellings', () => {
    expect(kanaToRomajiVariants('タロウ')).toEqual(expect.arrayContaining(['tarou', 'taro']));
    expect(kanaToRomajiVariants('ユウキ')).toEqual(expect.arrayContaining(['yuuki', 'yuki']));
    expect(kanaToRomajiVariants('ホンマ')).toEqual(expect.arrayContaining(['honma', 'homma']));
    expect(kanaToRomajiVariants('ラーメン')).toEqual(expect.arrayContaining(['raamen', 'ramen']));
  });
});

describe('dictionary', () => {
  it('refuses a common word with digits and symbols at the ends', () => {
    expect(codes('Password2026!')).toContain('dictionary');
    expect(codes('!!Sakura2026#')).toContain('dictionary');
    expect(codes('Madoguchi#2026')).toContain('dictionary');
  });

  it('undoes leet-speak, reading 1 as i or l', () => {
    expect(codes('P@ssw0rd12345')).toContain('dictionary');
    expect(codes('He11o#Wx9!Qz')).toContain('dictionary');
    expect(codes('Ma$ter#9Xq!z')).toContain('dictionary');
    expect(codes('Adm1n#9Xq!zLm')).toContain('dictionary');
    expect(codes('@dmin#9Xq!zLm')).toContain('dictionary');
  });

  it('refuses words of five letters or more anywhere, shorter ones only as the whole word', () => {
    expect(codes('Xq#tokyo7Lm!')).toContain('dictionary');
    expect(codes('Love#2026!%8')).toContain('dictionary');
    expect(codes('Glove#2026!%')).toEqual([]);
  });

  it('does not join neighbouring words of a passphrase into a listed word', () => {
    expect(codes('Kondo-no-Yasumi-9')).toEqual([]); // not 'oyasumi'
    expect(codes('Kondonoyasumi-9')).toContain('dictionary');
  });

  it('sees through full-width letters, separators, reversal and kana', () => {
    expect(codes('ｐａｓｓｗｏｒｄ１２３４５')).toContain('dictionary');
    expect(codes('P-a-s-s-w-0-r-d-2026')).toContain('dictionary');
    expect(codes('Pass w0rd 2026!')).toContain('dictionary');
    expect(codes('Drowssap#9Xq')).toContain('dictionary');
    expect(codes('パスワード2026xY!')).toContain('dictionary');
  });

  it('refuses every word in the bundled list, the longer ones also inside other text', () => {
    for (const word of COMMON_PASSWORD_WORDS) {
      expect(codes(`${word}#2026!`), word).toContain('dictionary');
      if (word.length >= 5) expect(codes(`Xq${word}9z`), word).toContain('dictionary');
    }
  });

  it('bundles a hand-written, lower-case list of a few hundred words', () => {
    expect(COMMON_PASSWORD_WORDS.length).toBeGreaterThanOrEqual(300);
    expect(COMMON_PASSWORD_WORDS.length).toBeLessThanOrEqual(500);
    expect(new Set(COMMON_PASSWORD_WORDS).size).toBe(COMMON_PASSWORD_WORDS.length);
    for (const word of COMMON_PASSWORD_WORDS) expect(word).toMatch(/^[a-z0-9]+$/);
    const required = ['password', 'qwerty', 'iloveyou', 'letmein', 'welcome', 'admin', 'administrator', 'dragon', 'monkey', 'sunshine',
      'princess', 'football', 'baseball', 'master', 'shadow', 'superman', 'trustno1', 'sakura', 'tokyo', 'osaka', 'nihon', 'nippon',
      'arigatou', 'daisuki', 'konnichiwa', 'himitsu', 'pasuwado', 'hokkaido', 'kumamoto', 'okayama', 'meguro', 'yakusho', 'shiyakusho',
      'kuyakusho', 'madoguchi', 'mynumber', 'kojin', 'bangou', 'fukushi', 'hoken', 'kokuho', 'iryou', 'kodomo', 'january', 'december',
      'monday', 'sunday'];
    expect(COMMON_PASSWORD_WORDS).toEqual(expect.arrayContaining(required));
  });
});

describe('keyboard', () => {
  it('refuses four keys in a row, either way, but not three', () => {
    expect(codes('Zqwe#7Lm!2Vx')).toEqual([]);
    for (const password of ['Zqwer#7Lm!2V', 'Zrewq#7Lm!2V', 'Zpoiu#7Lm!2V', 'Zasdf#7Lm!2V', 'Zzxcv#7Lm!2V', 'Mx#7890!Lq2V', 'Kv!@#$9Lm2Qx', 'KＱＷＥＲ#Lm!2Vx']) {
      expect(codes(password)).toContain('keyboard');
    }
  });

  it('refuses column walks', () => {
    for (const password of ['Z1qaz#7Lm!2V', 'Z2wsx#7Lm!2V', 'Zqazwsx#7Lm!', 'Kzaq1#Lm!2Vx']) {
      expect(codes(password)).toContain('keyboard');
    }
  });
});

describe('repetition', () => {
  it('refuses the same character three times in a row, but not twice', () => {
    expect(codes('Xq7!aaLm2#Vz')).toEqual([]);
    expect(codes('Xq7!aaaLm2#V')).toEqual(['repeated']);
    expect(codes('Xq7!111Lm2#V')).toEqual(['repeated']);
    expect(codes('Xq7!aAaLm2#V')).toEqual(['repeated']);
  });

  it('refuses a whole password made of one short unit (up to four characters) repeated', () => {
    expect(codes('Xq7!Xq7!Xq7!')).toEqual(['repeated']);
    expect(codes('abcabcabcabc')).toContain('repeated');
    expect(codes('PassPassPass')).toContain('repeated');
    expect(codes('Xq7!mXq7!mXq7!m')).toEqual([]);
  });
});

describe('sequences', () => {
  it('refuses four consecutive letters or digits, up or down, but not three', () => {
    expect(codes('Xq7!abcLm2#V')).toEqual([]);
    for (const password of ['Xq7!abcdLm2#', 'Xq7!6789Lm2#', 'Xq7!9876Lm2#', 'Xq7!dcbaLm2#', 'Xq7!WXYZLm2#']) {
      expect(codes(password)).toContain('sequence');
    }
  });

  it('does not wrap around the alphabet, and leaves dates alone', () => {
    expect(codes('Kq7!xyzaLm2#')).toEqual([]);
    expect(codes('Kq!19900101Lm')).toEqual([]);
    expect(codes('Kq!20260401Lm')).toEqual([]);
  });
});

describe('variety', () => {
  it('needs two kinds of character below 20 characters', () => {
    expect(codes('kawanagarenoyoruhos')).toEqual(['low_variety']);
    expect(codes('kawanagarenoyoruhosh')).toEqual([]);
    expect(codes('KAWANAGARENOYO')).toEqual(['low_variety']);
    expect(codes('583920174658')).toEqual(['low_variety']);
    expect(codes('kawanagare2026')).toEqual([]);
  });

  it('counts Japanese as a kind of its own', () => {
    expect(codes('かわのながれとよるのそら')).toEqual(['low_variety']);
    expect(codes('かわのながれとよるのそら7')).toEqual([]);
  });
});

describe('messages', () => {
  it('are Japanese and never contain the password', () => {
    for (const password of REFUSED) {
      const problems = checkPasswordStrength(password, RULES, YAMADA);
      expect(problems.length, password).toBeGreaterThan(0);
      for (const { message } of problems) {
        expect(message).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
        if (password.trim() === '') continue;
        for (const form of [password, password.trim(), password.normalize('NFKC'), password.normalize('NFKC').toLowerCase()]) {
          expect(message.toLowerCase()).not.toContain(form.toLowerCase());
        }
      }
    }
  });
});
