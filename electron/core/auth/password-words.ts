/**
 * Words refused as (or inside) a password by password-policy.ts: the passwords that lead every leaked-password
 * list, common English words people build passwords from, and the romaji words a Japanese municipal office is
 * likely to reach for (place names, greetings, the office's own vocabulary). Written by hand, lower case; the
 * checker normalises them (leet-speak undone, digits and symbols at the ends dropped) the same way it normalises
 * the password. Words of five letters or more are refused anywhere in a password, shorter ones only as the whole
 * word part of it ("love2026!"), so short entries stay harmless inside longer, unrelated words.
 *
 * Purely numeric leaked passwords (123456, 111111, …) are not listed: the keyboard, sequence and repetition
 * rules refuse them.
 */
export const COMMON_PASSWORD_WORDS: readonly string[] = [
  // The top of the leaked-password lists.
  'password', 'passwd', 'passw', 'pass', 'passpass', 'passcode', 'qwerty', 'qwertyuiop', 'asdfgh', 'asdfghjkl',
  'zxcvbn', 'zxcvbnm', 'qazwsx', 'iloveyou', 'iloveu', 'letmein', 'welcome', 'admin', 'administrator', 'root', 'guest',
  'user', 'login', 'logon', 'test', 'tester', 'testing', 'default', 'changeme', 'temp', 'temporary', 'secret',
  'access', 'master', 'system', 'server', 'dragon', 'monkey', 'sunshine', 'princess', 'football', 'baseball',
  'basketball', 'soccer', 'hockey', 'shadow', 'superman', 'batman', 'spiderman', 'trustno1', 'starwars', 'whatever',
  'freedom', 'hello', 'hellokitty', 'killer', 'hunter', 'ranger', 'buster', 'tigger', 'cookie', 'cheese', 'pepper',
  'ginger', 'chocolate', 'butterfly', 'flower', 'lovely', 'loveme', 'love', 'angel', 'angels', 'babygirl', 'baby',
  'sweet', 'sweetheart', 'honey', 'sugar', 'mustang', 'harley', 'matrix', 'computer', 'internet', 'windows', 'google',
  'facebook', 'youtube', 'twitter', 'apple', 'pokemon', 'nintendo', 'zelda', 'mario', 'diamond', 'silver', 'golden',
  'purple', 'orange', 'yellow', 'banana', 'cherry', 'summer', 'winter', 'spring', 'autumn', 'liberty', 'forever',
  'together', 'family', 'friend', 'friends', 'peace', 'happy', 'lucky', 'money', 'power', 'magic', 'wizard', 'merlin',
  'phoenix', 'tiger', 'lion', 'eagle', 'dolphin', 'rabbit', 'puppy', 'pussy', 'sexy', 'hottie', 'fuckyou', 'fuck',
  'bitch', 'asshole', 'jesus', 'heaven', 'god', 'michael', 'jennifer', 'jordan', 'thomas', 'jessica', 'ashley',
  'bailey', 'charlie', 'george', 'michelle', 'maggie', 'hannah', 'amanda', 'andrew', 'daniel', 'joshua', 'robert',
  'taylor', 'justin', 'thunder', 'ninja', 'samurai', 'legend', 'victory', 'champion', 'winner', 'qwer', 'asdf', 'zxcv',
  'abcdef', 'abcdefg', 'mypass', 'mypassword', 'newpass', 'newpassword', 'oldpassword', 'password1', 'letmeinnow',
  'security', 'private', 'office', 'manager', 'support', 'service', 'welcome1', 'hello123', 'superuser', 'sysadmin',
  'oracle', 'database', 'network', 'keyboard',

  // Months and weekdays.
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november',
  'december', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',

  // Japan: places.
  'japan', 'japanese', 'nihon', 'nippon', 'nihongo', 'tokyo', 'osaka', 'kyoto', 'nagoya', 'yokohama', 'kobe',
  'sapporo', 'sendai', 'fukuoka', 'hiroshima', 'nagasaki', 'okinawa', 'hokkaido', 'kumamoto', 'kagoshima', 'okayama',
  'kanagawa', 'saitama', 'chiba', 'shizuoka', 'nagano', 'nara', 'yamaguchi', 'fukushima', 'shinjuku', 'shibuya',
  'setagaya', 'meguro', 'shinagawa', 'minato', 'fujisan', 'fujiyama', 'kamakura',

  // Japan: greetings and everyday words.
  'konnichiwa', 'konnichiha', 'konbanwa', 'ohayou', 'ohayo', 'ohayougozaimasu', 'sayonara', 'sayounara', 'arigatou',
  'arigato', 'arigatougozaimasu', 'gomennasai', 'sumimasen', 'oyasumi', 'daisuki', 'suki', 'aishiteru', 'kawaii',
  'sugoi', 'genki', 'ganbare', 'ganbatte', 'ganbaru', 'kanpai', 'banzai', 'himitsu', 'pasuwado', 'pasuwaado', 'anshou',
  'anshobangou', 'ansho', 'kagi', 'tomodachi', 'kazoku', 'shiawase', 'kokoro', 'kibou', 'yuuki', 'mirai', 'tenshi',
  'akuma', 'kamisama', 'sensei', 'senpai', 'sakura', 'momiji', 'matsuri', 'kimono', 'geisha', 'shogun', 'sushi',
  'ramen', 'tempura', 'tamago', 'neko', 'nekochan', 'inu', 'panda', 'anime', 'manga', 'otaku', 'doraemon', 'pikachu',
  'naruto', 'totoro', 'anpanman', 'gundam', 'kitty', 'sailormoon', 'ultraman', 'godzilla', 'gojira', 'dragonball',
  'onepiece', 'luffy', 'ghibli', 'sanrio', 'hanshin', 'tigers', 'giants', 'kyojin', 'reiwa', 'heisei', 'showa',
  'meiji',

  // Japan: the most common surnames.
  'sato', 'satou', 'suzuki', 'takahashi', 'tanaka', 'watanabe', 'ito', 'itou', 'yamamoto', 'nakamura', 'kobayashi',
  'kato', 'katou', 'yoshida', 'yamada', 'sasaki', 'matsumoto', 'inoue', 'kimura', 'hayashi', 'shimizu', 'yamazaki',
  'mori', 'abe', 'ikeda', 'hashimoto', 'yamashita', 'ishikawa', 'nakajima', 'maeda', 'fujita', 'ogawa', 'goto',
  'okada', 'hasegawa', 'murakami', 'sakamoto', 'fujiwara',

  // The office and the work done at the counter.
  'madoguchi', 'yakusho', 'shiyakusho', 'kuyakusho', 'yakuba', 'choyakuba', 'shichoson', 'jichitai', 'gyousei',
  'gyosei', 'koumuin', 'komuin', 'shokuin', 'kakari', 'kacho', 'kachou', 'bucho', 'buchou', 'shicho', 'shichou',
  'soumu', 'somu', 'shimin', 'kumin', 'juumin', 'jumin', 'juminhyo', 'juuminhyou', 'jyuminhyo', 'koseki', 'inkan',
  'hanko', 'shomei', 'shoumei', 'shinsei', 'todokede', 'tetsuzuki', 'uketsuke', 'mynumber', 'mynumbercard', 'mainanba',
  'kojin', 'kojinbangou', 'bangou', 'bango', 'tokutei', 'fukushi', 'hoken', 'kokuho', 'kokumin', 'kenkou', 'kenko',
  'nenkin', 'kaigo', 'iryou', 'iryo', 'kodomo', 'kosodate', 'hoikuen', 'youchien', 'gakkou', 'gakko', 'jidou', 'teate',
  'seikatsu', 'hogo', 'seikatsuhogo', 'zeimu', 'zeikin', 'bousai', 'kyoka', 'kyouka', 'kanrisha', 'shinseisho',
];
