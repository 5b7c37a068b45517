/**
 * What a question asks for (a number, a date, a phone number …), and how each kind of answer
 * looks in the plan's text. Refusing on what is asked, not on word coverage: a plan that holds
 * no phone number anywhere cannot answer 「電話番号を教えて」 however many of its words it shares.
 *
 * Some kinds are data the plan either prints somewhere or nowhere (DATA_TYPES); which of them a
 * plan holds is learned from its text when the index is built (`typesHeldBy`), so a later plan
 * that prints the center's phone number answers that question without a code change.
 */

export type AnswerType =
  | 'contact'
  | 'address'
  | 'hours'
  | 'url'
  | 'money'
  | 'deadline'
  | 'apply'
  | 'duration'
  | 'holder'
  | 'person'
  | 'period'
  | 'date'
  | 'count'
  | 'frequency'
  | 'definition'
  | 'reason'
  | 'procedure'
  | 'list'
  | 'name'
  | 'names';

/** Kinds of data that a plan prints somewhere or nowhere at all. */
export const DATA_TYPES = ['contact', 'address', 'hours', 'url', 'money', 'deadline', 'apply', 'duration', 'holder'] as const;
export type DataType = (typeof DATA_TYPES)[number];

interface TypeRule {
  type: AnswerType;
  /** Matched on the normalized question (NFKC, lower case). */
  question: RegExp;
  /** A question that matches this asks about something else (where a web site is, not a street address). */
  unless?: RegExp;
  /** How such an answer looks in plan text; for data types, its presence anywhere is learned at build time. */
  text?: RegExp;
  /** What a refusal says is missing. */
  label: { ja: string; en: string };
}

/** 「企業名を教えて」「9つの市の名前」: the kind of thing whose names are asked for is the first group. */
export const NAMES_OF = /(企業|会社|市|町|市町|村|人|団体|施設|学校|大学|店|事業者)(?:の)?(?:名前|名称|名)(?:を|は|が|一覧|全部|も)|names of (?:the )?([a-z]+)s\b/;

/** In order of precedence: a data type asked for decides the question however else it is phrased. */
const RULES: TypeRule[] = [
  {
    type: 'contact',
    question: /電話|連絡先|問い?合わ?せ先|メールアドレス|ファックス|fax|phone|telephone|e-?mail|contact (details|information|number)/,
    text: /(tel|電話|fax)[\s:.]*\(?0\d|\b0\d{1,4}-\d{1,4}-\d{3,4}\b|[\w.+-]+@[\w-]+\.[a-z]{2,}/i,
    label: { ja: '連絡先（電話番号など）', en: 'contact details such as a phone number' },
  },
  {
    type: 'address',
    question: /住所|所在地|どこにあ|アクセス|行き方|最寄り?|会場|地図|address|where is (it|the)|located|location|venue/,
    // 「マッチングサイトはどこにありますか」 "where is the matching site": a site is found by its name, which the plan gives.
    unless: /サイト|ホームページ|ウェブ|ネット|\b(web ?)?(site|page|portal)s?\b|online/,
    text: /〒\s?\d{3}-?\d{4}|[都道府県][^、。\s]{1,8}[市区町村郡][^、。\s]{0,12}\d+(丁目|番地?|号)/,
    label: { ja: '住所や場所', en: 'addresses or venues' },
  },
  {
    type: 'hours',
    question: /何時|営業時間|開館時間|受付時間|開いて|開館|休館|定休|休み|曜日|土日|祝日|opening hours|open on|what time|office hours|closed on/,
    text: /\d{1,2}(:\d{2}|時)(\d{1,2}分)?\s*[~〜～-]\s*\d{1,2}(:\d{2}|時)|(開館|営業|受付|開所)時間|休館日|定休日/,
    label: { ja: '開館日や時間', en: 'opening days or hours' },
  },
  {
    type: 'url',
    question: /url|ホームページ|ウェブサイト|webサイト|サイトのアドレス|リンク|ログイン|パスワード|website|web site|log ?in|homepage/,
    text: /https?:\/\/|www\.[a-z0-9-]+\./i,
    label: { ja: 'ホームページのアドレスや使い方', en: 'web addresses or how to log in' },
  },
  {
    type: 'money',
    question: /いくら|何円|金額|費用|料金|入場料|参加費|予算|補助額|上限額|助成額|how much money|how much (does|do|is|can)|cost|fee|price|yen|amount of money|budget/,
    text: /\d[\d,.]*\s*(万|億|千)?円/,
    label: { ja: '金額', en: 'amounts of money' },
  },
  {
    type: 'deadline',
    question: /締切|締め切|〆切|期限|いつまでに(申|応募|提出)|deadline|due date|closing date/,
    text: /締切|締め切り|〆切|申込期限|提出期限|応募期限/,
    label: { ja: '締切や期限', en: 'deadlines' },
  },
  {
    type: 'apply',
    question:
      /(どこ|どちら|誰|だれ|どの(団体|窓口|機関))(に|へ|で)(申請|申し込|申込|応募|提出)|申請先|申込先|申し込み先|応募先|申請窓口|(申請|申込|申し込み|応募)(の)?方法|where (do|can|should) i apply|how (do|can) i apply|apply for/,
    text: /申請先|申込先|申し込み先|応募先|申請窓口|(申請|申込|申し込み|応募)(の)?(方法|手続)/,
    label: { ja: '申請や申し込みの窓口・方法', en: 'where or how to apply' },
  },
  {
    // How long a procedure takes (「設立には何日かかる」): not a date, and not the plan's own period (5年間).
    type: 'duration',
    question: /何日(かか|間|くらい|ぐらい|ほど|程度|で)|何(か|ヶ|カ|ケ)月(かか|くらい|ぐらい|ほど|程度|で)|何週間|(どのくらい|どれくらい|どれぐらい)(時間|日数)?(が)?かか|日数|所要(時間|期間)|how long (does|will|would|do|did) it take|how many (days|weeks|months) (does|will|would|do)/,
    text: /\d+\s?(日間|日以内|か月|ヶ月|カ月|週間)(で|以内|程度|ほど|かか)/,
    label: { ja: '手続きなどにかかる日数', en: 'durations of procedures' },
  },
  {
    // Who holds a post (知事は誰, センター長の名前): a person's name, which a plan prints only beside the post.
    // 「担い手は誰」「主役は誰」 ask who takes part, which the plan does say (type 'person').
    type: 'holder',
    question: /(知事|市長|町長|村長|会長|理事長|委員長|本部長|センター長|所長|館長|代表者|代表|担当者|社長|大臣)(は|って|とは|の)?\s?(誰|だれ|どなた|氏名|名前|お名前)|who(?: is|'s) the (?:current )?(?:governor|mayor|chair(?:person)?|president|director|head|minister|representative)/,
    text: /氏名|名簿|(知事|市長|会長|理事長|委員長|本部長|センター長|所長|館長|代表)\s*[一-龯]{1,3}\s[一-龯]{1,3}/,
    label: { ja: '役職にある人の名前', en: 'names of office holders' },
  },
  { type: 'person', question: /誰|だれ|どなた|氏名|\bwho\b|\bwhom\b/, label: { ja: '人の名前', en: 'names of people' } },
  {
    type: 'period',
    question: /いつからいつまで|(何|いつ).{0,4}から.{0,6}(何|いつ).{0,4}まで|期間(は|って|を|について)|何年間|how long|what period|from when/,
    text: /から.{0,12}まで|[~〜～]|期間|\d+年間/,
    label: { ja: '期間', en: 'periods' },
  },
  {
    type: 'frequency',
    question: /何回|頻度|how often|how many times/,
    text: /毎年|毎月|毎週|年\d+回|\d+回|定期的/,
    label: { ja: '回数や頻度', en: 'how often' },
  },
  {
    type: 'date',
    question: /いつ|何年|何月|何日|時期|\bwhen\b|what year|which year|since when|what month|which months?/,
    text: /(平成|昭和|令和|h)\s?\d+\s?年|\d{4}\s?年|\d+月|年度|毎年/i,
    label: { ja: '日付', en: 'dates' },
  },
  {
    type: 'count',
    question: /いくつ|何人|何件|何団体|何箇所|何か所|何ヶ所|何カ所|何市|何本|何個|何つ|何割|何%|何パーセント|何法人|割合|比率|の数(?![一-龯])|数は|件数|人数|how many|percentage|proportion|share of|number of|how much/,
    // A number with what it counts (2,201団体, 61.6%, 9市, 約4割, 3本柱): a year is not a count.
    text: /\d[\d,.]*\s*(万|千|百|億)?\s*(団体|件|人|法人|市|町|箇所|か所|ヶ所|本|つ|%|割|倍|名|回|校|社|者)|[一二三四五六七八九十]+(つ|本|割)|約\d+割/,
    label: { ja: '数', en: 'numbers' },
  },
  {
    type: 'definition',
    // 「ことは」 is not 「とは」; 「ってなんのため」「って何年度」「にとって何か」 do not ask what a thing is.
    question: /(?<!こ)とは|って(そもそも|いったい|結局)?(何|なに|なん)(です|でしょう|なの|だっけ)?[か\s]*\?*$|の意味|の定義|(って|とは)どういう[^?]{0,6}(こと|もの|意味)|どういう(意味|もの|こと)|stand for|meaning|\bdefine|definition|what (is|are) (an? |the )?[a-z-]+( [a-z-]+){0,3}\?*$/,
    label: { ja: '定義', en: 'definitions' },
  },
  {
    type: 'reason',
    question: /なぜ|なんで|どうして|理由|(何|なん)の(ため|目的)|\bwhy\b|reason/,
    text: /ため|目的|ことから|ので|により/,
    label: { ja: '理由', en: 'reasons' },
  },
  {
    type: 'procedure',
    question: /どうすれば|どうやって|どのように(すれば|して)|手続|やり方|how (can|do|to|should|does)\b/,
    label: { ja: '手順', en: 'procedures' },
  },
  {
    type: 'list',
    question: /一覧|全部|すべて|全て|リスト|[0-9一二三四五六七八九]つとも|\blist\b|all (the|of)/,
    text: /、.+、|・.+・/,
    label: { ja: '一覧', en: 'lists' },
  },
  {
    // The names of things of a kind (企業名, 9つの市の名前): the plan must name them, in 「」 as it names things.
    type: 'names',
    question: NAMES_OF,
    text: /「[^」]{2,}」/,
    label: { ja: '名前', en: 'names' },
  },
  { type: 'name', question: /名前|名称|何という|何て(いう|名前)|\bcalled\b|name of/, label: { ja: '名前', en: 'names' } },
];

const RULE_OF = new Map(RULES.map((r) => [r.type, r]));

/** Every kind of answer the question asks for, in order of precedence. */
export function askedTypes(normalizedQuestion: string): AnswerType[] {
  return RULES.filter((r) => r.question.test(normalizedQuestion) && !r.unless?.test(normalizedQuestion)).map((r) => r.type);
}

/** The data types a plan's text holds somewhere (learned at build time, stored with the index). */
export function typesHeldBy(normalizedText: string): DataType[] {
  return DATA_TYPES.filter((type) => RULE_OF.get(type)!.text!.test(normalizedText));
}

/** Whether a sentence holds an answer of this kind; undefined for kinds with no textual form. */
export function holdsType(type: AnswerType, normalizedSentence: string): boolean | undefined {
  const text = RULE_OF.get(type)?.text;
  return text ? text.test(normalizedSentence) : undefined;
}

export function typeLabel(type: AnswerType, language: 'ja' | 'en'): string {
  return RULE_OF.get(type)!.label[language];
}

export const isDataType = (type: AnswerType): type is DataType => (DATA_TYPES as readonly string[]).includes(type);
