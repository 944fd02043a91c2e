/**
 * A small polarity lexicon for cold start (written for Accord; Chinese and English). Short reviews
 * carry their verdict in a few evaluative words; the organization's model learns the rest. Longer
 * entries win over the words inside them (不错 is praise although 错 is not).
 */
const zhPositive = `好 很好 挺好 真好 好用 好看 好吃 不错 满意 很满意 喜欢 推荐 值得 漂亮 舒服 实惠 划算 方便 清晰 流畅 赞 棒 完美 优秀
  正品 新鲜 物美价廉 惊喜 耐用 稳定 专业 及时 热情 周到 感谢 谢谢 给力 超值 精致 可靠 高效 准时 细致 好评 放心 信赖 贴心 优惠 合适
  柔软 结实 省心 完好 顺利 愉快 开心 一流 靠谱 快 很快 迅速 便宜 性价比高 大方 喜爱 值 干净 清爽 顺滑 好闻 细腻 满分 不愧 出色 解决`;
const zhNegative = `差 很差 太差 失望 垃圾 退货 退款 慢 很慢 太慢 坏 坏了 破 烂 问题 故障 投诉 骗 假货 难用 难吃 不值 后悔 糟糕 恶心 差评 发热 发烫
  卡 死机 异味 脏 贵 坑 敷衍 拖延 延迟 漏 掉色 起球 缩水 不行 不好 没用 无语 郁闷 生气 上当 缺货 变质 过期 瑕疵 划痕 粗糙 噪音 不满
  麻烦 失败 损坏 漏水 欺骗 忽悠 黑心 劣质 别买 不要买 千万别 一般 凑合 不满意 退 换货 少 小 错 假 难 烦 霉 臭 旧 伤 痛 慢死了 不如 不能`;
const enPositive = `good great excellent love loved like liked happy satisfied fast quick recommend recommended perfect amazing awesome helpful reliable easy
  nice best quality friendly responsive thanks thank impressive smooth solid worth superb fantastic pleased efficient professional prompt
  wonderful outstanding durable accurate clear comfortable fresh delicious beautiful resolved fixed timely`;
const enNegative = `bad poor terrible awful hate hated slow broken late delay delayed refund worst disappointed disappointing useless defective rude
  expensive problem problems issue issues fail failed failure waste crash crashed noisy leak leaking unreliable complaint scam faulty
  damaged missing wrong dirty cheaply overpriced unhappy angry annoying horrible unacceptable ignored never`;

const words = (s: string) => s.split(/\s+/).filter(Boolean);
export const LEXICON = new Map<string, 1 | -1>([
  ...words(zhPositive).map((w) => [w, 1] as [string, 1]),
  ...words(zhNegative).map((w) => [w, -1] as [string, -1]),
  ...words(enPositive).map((w) => [w, 1] as [string, 1]),
  ...words(enNegative).map((w) => [w, -1] as [string, -1]),
]);
export const ZH_MAX = Math.max(...[...LEXICON.keys()].filter((w) => /[\u3400-\u9fff]/.test(w)).map((w) => w.length));

/** A negator flips the polarity of the evaluative word it stands before (不满意 is not 满意). */
export const ZH_NEGATORS = ['不太', '不怎么', '没有', '不', '没', '无', '非', '别', '未'];
export const EN_NEGATORS = new Set(['not', 'no', 'never', 'dont', "don't", 'doesnt', "doesn't", 'didnt', "didn't", 'isnt', "isn't", 'wasnt', "wasn't", 'arent', "aren't", 'wont', "won't", 'cant', "can't", 'cannot', 'hardly', 'without', 'nothing', 'neither', 'nor']);
