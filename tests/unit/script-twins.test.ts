/**
 * Chinese is written in two scripts: Simplified (mainland China, Singapore)
 * and Traditional (Taiwan, Hong Kong). The matcher compares characters as
 * they are, so a phrase written in one script never meets text in the other:
 * 实体清单 misses a Taiwanese 實體清單, 蒸馏水 fails to rule out 蒸餾水. Every
 * Chinese phrase of the dataset whose characters differ between the scripts
 * is therefore listed in both, in the same place: a term with the same rules,
 * a cue set, a card's cue phrases.
 *
 * The table below holds the Simplified characters our phrases use that have
 * a different Traditional form. Words that differ between the regions and
 * not just in script (芯片 and 晶片 for "chip", 人工智能 and 人工智慧) are
 * added by hand; this test cannot know them.
 */
import { describe, expect, it } from 'vitest';
import data from '../../lib/dataset/dataset.json';
import type { Dataset } from '../../lib/dataset/schema';

const dataset = data as Dataset;

const PAIRS =
  '万萬 与與 专專 业業 东東 个個 为為 义義 习習 买買 云雲 亚亞 产產 亿億 价價 众眾 优優 会會 伟偉 伪偽 体體 侦偵 储儲 兰蘭 关關 内內 册冊 写寫 军軍 农農 冲衝 减減 击擊 划劃 则則 创創 别別 剂劑 办辦 务務 动動 区區 华華 单單 卖賣 厂廠 压壓 县縣 参參 双雙 发發 号號 后後 启啟 员員 围圍 国國 图圖 场場 块塊 垄壟 声聲 备備 复復 头頭 学學 宁寧 实實 审審 宫宮 宽寬 对對 导導 将將 岛島 币幣 师師 带帶 库庫 应應 开開 张張 强強 当當 录錄 忧憂 态態 总總 战戰 户戶 扩擴 抛拋 护護 报報 担擔 拟擬 挥揮 损損 据據 数數 断斷 时時 术術 机機 权權 条條 来來 杰傑 构構 标標 栈棧 样樣 欧歐 氢氫 泄洩 测測 济濟 涨漲 湾灣 潜潛 炼煉 爱愛 状狀 现現 电電 监監 盘盤 瞒瞞 种種 积積 称稱 税稅 窃竊 签簽 粮糧 约約 级級 纪紀 纽紐 线線 练練 织織 经經 络絡 绝絕 统統 续續 维維 缴繳 网網 罚罰 胶膠 腾騰 范範 获獲 营營 虑慮 虚虛 装裝 规規 计計 认認 训訓 议議 记記 许許 论論 讼訟 讽諷 设設 证證 评評 识識 诈詐 诉訴 试試 话話 询詢 语語 读讀 调調 谱譜 败敗 账帳 质質 购購 贸貿 费費 资資 赶趕 车車 轨軌 转轉 软軟 载載 输輸 达達 过過 运運 进進 违違 迹跡 适適 遗遺 酿釀 释釋 鉴鑑 钟鐘 钱錢 银銀 链鏈 锁鎖 锋鋒 锑銻 锗鍺 镇鎮 镓鎵 门門 闭閉 问問 间間 闻聞 阅閱 阉閹 阶階 际際 险險 隐隱 韧韌 韩韓 页頁 顾顧 领領 颗顆 题題 风風 饮飲 馏餾 马馬 验驗 麦麥 龙龍';
const TRADITIONAL = new Map(PAIRS.split(' ').map((pair) => [pair[0]!, pair[1]!] as const));
const TRADITIONAL_FORMS = new Set(TRADITIONAL.values());

/**
 * Japanese written in kanji alone, whose shared or shortened forms (国, 会,
 * 学, 万) look like Simplified Chinese. They are not Chinese and get no twin.
 */
const JAPANESE = new Set([
  '会社',
  '5万個',
  '5万枚',
  '中国企業',
  '半導体',
  '半導体材料',
  '半導体規制',
  '国産',
  '国産半導体',
  '国際決済銀行',
  '国防権限法',
  '同盟国',
  '強化学習',
  '機械学習',
  '特別委員会',
  '製造装置',
  '議会',
  '遮断',
  '防衛装備',
]);

const KANA = /[\u3040-\u30ff]/;
const han = (phrase: string) => [...phrase].filter((ch) => /\p{Script=Han}/u.test(ch));
const toTraditional = (phrase: string) => [...phrase].map((ch) => TRADITIONAL.get(ch) ?? ch).join('');

function script(phrase: string): 'simplified' | 'traditional' | 'mixed' | 'either' | 'japanese' {
  if (KANA.test(phrase) || JAPANESE.has(phrase)) return 'japanese';
  const chars = han(phrase);
  const simplified = chars.some((ch) => TRADITIONAL.has(ch));
  const traditional = chars.some((ch) => TRADITIONAL_FORMS.has(ch));
  return simplified && traditional ? 'mixed' : simplified ? 'simplified' : traditional ? 'traditional' : 'either';
}

/** Every list of phrases in the dataset, with where it is. */
function phraseLists(): { where: string; phrases: string[] }[] {
  return [
    ...Object.entries(dataset.cues).map(([name, set]) => ({ where: `cue set ${name}`, phrases: set.phrases })),
    ...dataset.cards.map((card) => ({ where: `card ${card.id}`, phrases: card.cues })),
    ...dataset.topics.map((topic) => ({ where: `terms of ${topic.id}`, phrases: topic.terms.map((t) => t.text) })),
  ];
}

describe('Simplified and Traditional Chinese twins', () => {
  it('has a table that converts in one direction only', () => {
    expect(TRADITIONAL.size).toBeGreaterThan(200);
    expect([...TRADITIONAL].filter(([s, t]) => s === t || TRADITIONAL.has(t))).toEqual([]);
  });

  it('writes no phrase half in one script and half in the other', () => {
    const mixed = phraseLists().flatMap(({ where, phrases }) => phrases.filter((p) => script(p) === 'mixed').map((p) => `${where}: ${p}`));
    expect(mixed).toEqual([]);
  });

  it('lists the Traditional twin of every Simplified phrase beside it', () => {
    const missing = phraseLists().flatMap(({ where, phrases }) =>
      phrases.filter((p) => script(p) === 'simplified' && !phrases.includes(toTraditional(p))).map((p) => `${where}: ${p} → ${toTraditional(p)}`),
    );
    expect(missing).toEqual([]);
  });

  it('gives a term and its twin the same rules', () => {
    for (const topic of dataset.topics) {
      for (const term of topic.terms) {
        if (script(term.text) !== 'simplified') continue;
        const twin = topic.terms.find((t) => t.text === toTraditional(term.text));
        expect({ ...twin, text: term.text }, term.text).toEqual(term);
      }
    }
  });

  it('finds Traditional text the way it finds Simplified text', async () => {
    const { compileMatcher, resolveBlock, scanBlock } = await import('../../lib/matcher');
    const m = compileMatcher({ topics: dataset.topics, cues: dataset.cues });
    const found = (text: string) => {
      const scan = scanBlock(m, text);
      return resolveBlock(scan, { cues: scan.cues, about: new Set() }).map((c) => text.slice(c.start, c.end));
    };
    // Written for this test: a mention, and a look-alike its cue rules out.
    expect(found('美国商务部又把多家中国人工智能公司列入实体清单。')).toEqual(['实体清单']);
    expect(found('美國商務部又把多家中國人工智慧公司列入實體清單。')).toEqual(['實體清單']);
    expect(found('实验室用蒸馏水清洗模型的外壳。')).toEqual([]);
    expect(found('實驗室用蒸餾水清洗模型的外殼。')).toEqual([]);
  });

  it('knows every Japanese phrase it sets apart', () => {
    const all = new Set(phraseLists().flatMap((l) => l.phrases));
    expect([...JAPANESE].filter((p) => !all.has(p))).toEqual([]);
  });
});
