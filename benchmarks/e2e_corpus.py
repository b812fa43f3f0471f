"""A realistic social-media CSV for the end-to-end benchmark, built from the simulator's posts.

Real keyword-search exports (Weibo, X) differ from the simulator's short posts: they are
longer (~150 characters on average, with a long tail), most name one tracked brand, some name
none (the keyword matched something else), and they carry hashtags, @mentions, emoji, links,
comments, reposts and copy-paste templates. :func:`make_csv` draws such a corpus:

- every row has one *core*: a simulator post (its brand mix, date, source and author), drawn
  Chinese or English about 70 / 30; reused cores (a CSV larger than the simulator's base) get
  another account and a time shifted by up to two hours, within the same day's traffic;
- kinds: ``noise`` (no core: filler only, names no brand), ``comment`` (a reply to an earlier
  row: a short reaction or the core alone), ``two`` (a second core of the same language: a
  comparison) and ``single``;
- the text is padded to a log-normal target length with brand-free filler sentences (never by
  joining brand posts), then decorated with hashtags, @mentions, emoji and short links;
- a few cores are *templates*: every row that reuses one copies the same padded text (a
  trailing ``!`` count varies), posted by other accounts within the hour: near-duplicate
  clusters, some with promotional copy (campaigns).

Everything is one DuckDB query over ``range(n)`` with hashes of the row number and a seed as
the random draws: fast (about a second per million rows) and deterministic.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

#: The simulator's base corpus (seed, posts) every size draws from.
BASE_SEED, BASE_POSTS = 7, 200_000
#: Bump when the generator changes: cached CSVs of another version are not reused.
VERSION = 2
SEED = 19
EN_SHARE = 0.30
#: Shares of row kinds (the rest are single-core posts).
NOISE, COMMENT, TWO = 0.06, 0.10, 0.17
#: Share of cores that are copy-paste templates, and of those that carry promotional copy.
TEMPLATE, PROMO = 0.03, 0.35
#: Target length: log-normal with this mean (characters) and sigma, capped.
LEN_MEAN, LEN_SIGMA, LEN_MAX = 150.0, 0.75, 2000
#: Decoration rates.
TAG_RATE, MENTION_RATE, EMOJI_RATE, URL_RATE = 0.15, 0.10, 0.25, 0.12
#: Rows generated per statement (bounds the generator's memory).
BLOCK_ROWS = 100_000
#: Stride through a language's cores: consecutive rows draw far-apart cores.
SPREAD = 7919

ZH_FILLER = (
    "今天下班路上又堵了一个小时。",
    "周末带娃去公园转了一圈，人超级多。",
    "最近天气忽冷忽热，大家注意别感冒了。",
    "说实话现在买东西之前都要先刷一圈评测。",
    "楼下新开了一家面馆，味道还可以。",
    "这个月的工资又花得差不多了。",
    "刚看完一部纪录片，感触挺深的。",
    "年底了，各种总结和汇报压得人喘不过气。",
    "早上七点起床，晚上十点才到家。",
    "朋友圈里好几个人都在晒年终奖。",
    "身边越来越多的人开始关注性价比了。",
    "数码圈这几年变化真的太快。",
    "评论区比正文还精彩，哈哈哈。",
    "希望明年一切顺利，大家都发财。",
    "买之前纠结了很久，看了很多视频。",
    "我爸妈对这些新东西一直不太感兴趣。",
    "排队排了四十分钟，腿都站麻了。",
    "同事每天午休都在讨论这个话题。",
    "以上纯属个人感受，不喜勿喷。",
    "有没有懂行的朋友来说说看？",
    "价格这块大家心里都有数。",
    "充电桩附近停满了车，找了半天位置。",
    "售后电话打了三次才接通。",
    "快递今天终于到了，包装还挺用心。",
    "看了一晚上直播，钱包又要遭殃了。",
    "这种天气最适合在家躺着刷剧。",
    "地铁上几乎人手一部手机在刷短视频。",
    "家里老人的手机又该换了，字太小看不清。",
    "周边的配套越来越完善了，出行方便多了。",
    "前两天去商场逛了一圈，人比想象中少。",
    "小区门口的咖啡店打折，顺手买了一杯。",
    "明天还要早起开会，先睡了。",
    "大家理性讨论，别吵架。",
    "记录一下生活，也许以后回头看挺有意思。",
    "网上的说法五花八门，还是得自己体验。",
    "老婆说我又在乱花钱了。",
    "通勤路上随手记几句。",
    "这两年大家的消费观念变了不少。",
    "续航和充电速度是我最看重的两点。",
    "外观见仁见智，反正我是挺喜欢的。",
)
EN_FILLER = (
    "Traffic was a nightmare on the way home today.",
    "Took the kids to the park this weekend and it was packed.",
    "Honestly I read way too many reviews before buying anything these days.",
    "The weather has been all over the place lately.",
    "Spent the whole evening watching a livestream, my wallet is crying.",
    "Not sponsored, just sharing my experience.",
    "Curious what everyone else thinks about this.",
    "The comments under that video were wilder than the video itself.",
    "My commute is long enough that I notice these things.",
    "Prices keep going up everywhere, not just here.",
    "Battery life and charging speed matter most to me.",
    "Waited in line for forty minutes, never again.",
    "My parents still refuse to try anything new.",
    "Customer support took three calls to reach a human.",
    "The package finally arrived and the box was nice at least.",
    "Coffee first, opinions later.",
    "Just my two cents after a few weeks of daily use.",
    "Everyone at work has been arguing about this all week.",
    "Let us keep the discussion civil please.",
    "Writing this on the train so excuse the typos.",
    "Design is subjective but I kind of like it.",
    "Reviews online are all over the place, try it yourself.",
    "Can someone who actually knows the specs chime in?",
    "Long week, glad it is almost Friday.",
    "Found a quiet spot to charge downtown, rare these days.",
    "The whole timeline is talking about this today.",
    "Saving up for a while before I decide anything.",
    "The mall was emptier than I expected this afternoon.",
    "Will update this thread after a month of use.",
    "Mixed feelings overall, some good and some bad.",
)
ZH_REACTIONS = (
    "哈哈哈哈笑死",
    "同意楼上",
    "+1",
    "真的假的？",
    "坐等后续",
    "说得太对了",
    "不敢苟同",
    "马克一下",
    "前排围观",
    "有道理",
    "这也能吵起来",
    "求链接",
)
EN_REACTIONS = (
    "lol same",
    "This is so true",
    "Source?",
    "+1",
    "Following for updates",
    "Hard disagree",
    "Wait what",
    "Exactly my point",
    "Saving this",
    "Ratio",
)
ZH_TAGS = ("#数码#", "#打工人日常#", "#周末去哪儿#", "#科技圈#", "#新能源#", "#今日热点#", "#开箱#")
EN_TAGS = ("#tech", "#EV", "#gadgets", "#review", "#unboxing", "#dailylife")
EMOJI = ("😂", "👍", "🔥", "😅", "🤔", "💔", "[doge]", "[允悲]", "[笑cry]", "✨", "🙏")
ZH_PROMO = "限时优惠，点击链接立即抢购，名额有限！"
EN_PROMO = "Limited-time offer, tap the link to order now!"


def _u(key: str, salt: int) -> str:
    """SQL: a uniform draw in [0, 1) from `key` (an SQL expression), the seed and `salt`."""
    return f"((hash({key}, {SEED}, {salt}) % 1000003) / 1000003.0)"


def _pick(bank: tuple[str, ...], key: str, salt: int) -> str:
    """SQL: one element of `bank`, drawn by `key`."""
    return _case(bank, f"hash({key}, {SEED}, {salt}) % {len(bank)}")


def _case(bank: tuple[str, ...], index: str) -> str:
    """SQL: element `index` (0-based) of `bank`, as a CASE of constants.

    Not a list literal indexed per row: DuckDB materializes such a list for every row (and
    every lambda element), which took 20 GB at a million rows.
    """
    whens = " ".join(f"WHEN {i} THEN {_quote(s)}" for i, s in enumerate(bank))
    return f"(CASE {index} {whens} END)"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _fillers(bank: tuple[str, ...], count: str, key: str, salt: int) -> str:
    """SQL: a list of `count` filler sentences drawn by `key`."""
    draw = f"hash({key}, i, {SEED}, {salt}) % {len(bank)}"
    return f"list_transform(range({count}), lambda i: {_case(bank, draw)})"


def _mean_len(bank: tuple[str, ...], sep: int) -> float:
    return sum(len(s) + sep for s in bank) / len(bank)


def corpus_sql(base: Path, n: int, out: Path, start: int = 0, header: bool = True) -> str:
    """The COPY statement that writes rows ``start .. n - 1`` of the corpus to the CSV `out`.

    Every draw depends on the row number only (a row's core: its rank among the earlier rows
    of its language, counted here), so blocks of rows written one after another give the same
    file as one statement, in bounded memory.
    """
    mu = math.log(LEN_MEAN) - LEN_SIGMA**2 / 2
    zf, ef = _mean_len(ZH_FILLER, 0), _mean_len(EN_FILLER, 1)
    z = f"sqrt(-2 * ln(1 - {_u('key', 3)})) * cos(2 * pi() * {_u('key', 4)})"
    # template rows draw everything but the time and account from their core, not the row
    key = "CASE WHEN template THEN p * 2 + en::INT ELSE r + 1000000000000 END"
    return f"""
COPY (
WITH b AS (
  SELECT *, row_number() OVER (PARTITION BY en ORDER BY hash(id)) - 1 AS j,
         count(*) OVER (PARTITION BY en) AS pool
  FROM (SELECT *, 5 * length(regexp_replace(text, '[^\\x{{4e00}}-\\x{{9fff}}]', '', 'g'))
                  < length(text) AS en
        FROM read_parquet('{base}'))
),
pools AS (SELECT en, any_value(pool) AS pool FROM b GROUP BY en),
rows AS (
  SELECT r, {_u("r", 1)} < {EN_SHARE} AS en, {_u("r", 2)} AS uk FROM range({start}, {n}) t(r)
),
earlier AS (
  SELECT en, count(*) AS before FROM (SELECT {_u("r", 1)} < {EN_SHARE} AS en FROM range({start}) t(r))
  GROUP BY en
),
ranked AS (
  SELECT r.*, row_number() OVER (PARTITION BY r.en ORDER BY r.r) - 1
              + coalesce(earlier.before, 0) AS k, pools.pool
  FROM rows r JOIN pools USING (en) LEFT JOIN earlier USING (en)
),
drawn AS (
  SELECT *, (k * {SPREAD}) % pool AS p, k // pool AS cycle,
         CASE WHEN uk < {NOISE} THEN 'noise'
              WHEN uk < {NOISE + COMMENT} AND r > 0 THEN 'comment'
              WHEN uk < {NOISE + COMMENT + TWO} THEN 'two' ELSE 'single' END AS kind
  FROM ranked
),
flagged AS (
  SELECT *, {key} AS key
  FROM (SELECT *, kind = 'single' AND hash(p * 2 + en::INT, {SEED}, 5) % 1000
                  < {TEMPLATE * 1000} AS template
        FROM drawn)
),
shaped AS (
  SELECT f.*, b0.text AS core, b1.text AS core2, b0.created_at, b0.source, b0.author_id,
         b0.author_name, b0.author_followers, b0.likes, b0.reposts, b0.comments,
         least({LEN_MAX}, exp({mu} + {LEN_SIGMA} * {z})) AS target
  FROM flagged f
  JOIN b b0 ON b0.en = f.en AND b0.j = f.p
  JOIN b b1 ON b1.en = f.en AND b1.j = (f.p + 977 * (1 + f.cycle)) % f.pool
),
sized AS (
  SELECT *, CASE WHEN kind = 'comment' THEN 0
                 ELSE least(60, greatest(1, round(
                   (target - CASE kind WHEN 'noise' THEN 0 WHEN 'two' THEN length(core)
                                  + length(core2) ELSE length(core) END)
                   / CASE WHEN en THEN {ef} ELSE {zf} END)))::INTEGER END AS nfill
  FROM shaped
),
filled AS (
  SELECT *, CASE WHEN en THEN {_fillers(EN_FILLER, "nfill", "key", 6)}
                 ELSE {_fillers(ZH_FILLER, "nfill", "key", 6)} END AS fill,
            CASE WHEN {_u("key", 7)} < 0.3 THEN nfill // 2 ELSE 0 END AS nbefore
  FROM sized
),
parts AS (
  SELECT *,
    nullif(CASE WHEN en THEN array_to_string(fill[1:nbefore], ' ')
                ELSE array_to_string(fill[1:nbefore], '') END, '') AS before,
    nullif(CASE WHEN en THEN array_to_string(fill[nbefore + 1:], ' ')
                ELSE array_to_string(fill[nbefore + 1:], '') END, '') AS after,
    CASE WHEN {_u("key", 8)} < {TAG_RATE}
         THEN CASE WHEN en THEN {_pick(EN_TAGS, "key", 9)} ELSE {_pick(ZH_TAGS, "key", 9)} END
    END AS tag,
    CASE WHEN {_u("key", 10)} < {MENTION_RATE}
         THEN CASE WHEN en THEN ' @user' ELSE ' @用户' END || (hash(key, 11) % 9999999)
    END AS mention,
    CASE WHEN {_u("key", 12)} < {EMOJI_RATE} THEN {_pick(EMOJI, "key", 13)} END AS emoji,
    CASE WHEN {_u("key", 14)} < {URL_RATE}
         THEN CASE WHEN en THEN ' https://t.co/' || substr(md5(key::VARCHAR), 1, 10)
                   ELSE ' http://t.cn/A6' || substr(md5(key::VARCHAR), 1, 6) END
    END AS url,
    CASE WHEN template AND hash(p, {SEED}, 15) % 1000 < {PROMO * 1000}
         THEN CASE WHEN en THEN ' {EN_PROMO}' ELSE '{ZH_PROMO}' END END AS promo,
    CASE WHEN template THEN repeat(CASE WHEN en THEN '!' ELSE '！' END, 1 + (r % 4)::INTEGER)
    END AS bang
  FROM filled
),
texts AS (
  SELECT *, CASE
    WHEN kind = 'comment' THEN
      CASE WHEN {_u("r", 16)} < 0.5
           THEN CASE WHEN en THEN {_pick(EN_REACTIONS, "r", 17)}
                     ELSE {_pick(ZH_REACTIONS, "r", 17)} END
           ELSE core END
    WHEN en THEN concat_ws(' ', tag, before, CASE WHEN kind <> 'noise' THEN core END,
                           CASE WHEN kind = 'two' THEN 'vs ' || core2 END, after, emoji)
                 || coalesce(promo, '') || coalesce(bang, '') || coalesce(mention, '')
                 || coalesce(url, '')
    ELSE concat_ws('', tag, before, CASE WHEN kind <> 'noise' THEN core END,
                   CASE WHEN kind = 'two' THEN '，' || core2 END,
                   CASE WHEN kind <> 'noise' AND after IS NOT NULL THEN ' ' END, after, emoji)
         || coalesce(promo, '') || coalesce(bang, '') || coalesce(mention, '')
         || coalesce(url, '')
  END AS body
  FROM parts
)
SELECT 'e2e-' || r AS id, body AS text,
       strftime(strptime(substr(created_at, 1, 19), '%Y-%m-%dT%H:%M:%S') + to_minutes(
         CASE WHEN kind = 'comment' THEN 1 + (hash(r, {SEED}, 18) % 600)
              WHEN template THEN (hash(r, {SEED}, 18) % 61)::BIGINT - 30
              WHEN cycle > 0 THEN (hash(r, {SEED}, 18) % 241)::BIGINT - 120 ELSE 0 END::BIGINT),
         '%Y-%m-%dT%H:%M:%S') || substr(created_at, 20) AS created_at,
       source, author_id || '-' || cycle AS author_id, author_name, author_followers,
       CASE WHEN kind = 'comment' THEN likes // 10 ELSE likes END AS likes,
       CASE WHEN kind = 'comment' THEN 0 ELSE reposts END AS reposts,
       CASE WHEN kind = 'comment' THEN 0 ELSE comments END AS comments,
       CASE WHEN en THEN 'en' ELSE 'zh' END AS lang,
       CASE WHEN kind = 'comment' THEN 'comment' ELSE 'post' END AS post_type,
       CASE WHEN kind = 'comment' THEN 'e2e-' || (hash(r, {SEED}, 19) % r) END AS reply_to
FROM texts ORDER BY r
) TO '{out}' (HEADER {str(header).lower()}, FORMAT csv)"""


def make_csv(workdir: Path, n: int) -> tuple[Path, Path]:
    """The size-`n` CSV and the simulator config it goes with (generated once, cached)."""
    import duckdb

    from brandhalo.demo import simulate

    sim = workdir / "sim"
    if not (sim / "planted.json").exists():
        simulate(sim, seed=BASE_SEED, posts=BASE_POSTS)
    csv = workdir / f"posts-v{VERSION}-{n}.csv"
    if not csv.exists():
        tmp, part = csv.with_suffix(".tmp"), csv.with_suffix(".part")
        con = duckdb.connect()
        try:
            con.execute(f"SET temp_directory = '{workdir / 'tmp'}'")
            # DuckDB's join ordering picks a plan that stalls on blocks past the base pool
            # (rows that reuse base posts, from ~200k on): the written order is fast throughout
            con.execute("SET disabled_optimizers = 'join_order'")
            with tmp.open("wb") as out:
                for start in range(0, n, BLOCK_ROWS):
                    end = min(n, start + BLOCK_ROWS)
                    con.execute(corpus_sql(sim / "posts.parquet", end, part, start, start == 0))
                    with part.open("rb") as block:
                        shutil.copyfileobj(block, out)
        finally:
            con.close()
            part.unlink(missing_ok=True)
        tmp.rename(csv)
    return csv, sim / "brandhalo.toml"


def describe_csv(csv: Path) -> dict[str, float]:
    """Length, language and kind mix of a generated CSV (what the benchmark ran on)."""
    import duckdb

    row = duckdb.sql(f"""
        SELECT avg(length(text)), quantile_cont(length(text), [0.5, 0.9, 0.99]),
               avg((lang = 'zh')::INT), avg((post_type = 'comment')::INT),
               avg(regexp_matches(text, '^(RT @|//@)|//@')::INT),
               avg(contains(text, '#')::INT), avg(regexp_matches(text, 'https?://')::INT)
        FROM read_csv('{csv}', header = true)""").fetchall()[0]
    mean, (p50, p90, p99), zh, comments, reposts, tags, urls = row
    return {
        "mean_text_chars": round(float(mean), 1),
        "text_chars_p50_p90_p99": [round(float(p50)), round(float(p90)), round(float(p99))],
        "zh_share": round(float(zh), 3),
        "comment_share": round(float(comments), 3),
        "repost_marker_share": round(float(reposts), 3),
        "hashtag_share": round(float(tags), 3),
        "url_share": round(float(urls), 3),
    }
