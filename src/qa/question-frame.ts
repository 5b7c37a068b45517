/**
 * Words that frame a question without saying what it is about: 「方法を教えて」「時期は？」
 * 「どんな考え方？」「本当？」. They never count against the plan when deciding whether it
 * answers a question, and weigh little in retrieval. These are words of the language, listed
 * once; they name no topic of the plan.
 */

export const FRAME_WORDS = new Set(
  (
    // interrogatives and vague nouns
    '何 なに なん どう どの どこ どれ どちら どなた どんな いつ 誰 だれ いくつ いくら なぜ なんで どうして どのくらい どれくらい ' +
    '方法 やり方 仕方 時期 考え方 方式 形 種類 内容 意味 具体 具体的 詳細 概要 中身 点 部分 感じ 本当 実際 場合 ところ ' +
    '向け 人 方 件 話 目 一回 一度 名前 名称 理由 ため 以外 ほか 他 全部 全て すべて 一覧 リスト 例 際 時 頃 後 前 最大 最小 一番 ' +
    'そもそも いったい 結局 ちなみに やっぱり やはり 要するに つまり ' +
    '今 今回 今日 明日 昨日 今年 今年度 現在 最近 最新 それぞれ 様子 状況 ぐらい くらい 程度 辺り あたり 系 的 ' +
    '質問 説明 回答 答え 教え お願い 確認 設定 存在 扱い 位置づけ 位置付け 位置づける 位置付ける ' +
    // verbs and adjectives of asking and of being
    '教える 知る 知りたい 聞く 尋ねる 訊く 分かる わかる 思う 言う いう 書く 載る 記載 述べる 見る 調べる ' +
    'ある いる する なる できる やる 行う くれる もらう もらえる いただく 頂く 下さる くださる おる ござる 参る 申す ' +
    'いい 良い よい 欲しい ほしい'
  ).split(' '),
);

export const isFrameWord = (word: string) => FRAME_WORDS.has(word);
