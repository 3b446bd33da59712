"""Interface strings in Chinese (default) and English. Metric, unit and category names come from metrics.api."""
from __future__ import annotations

from metrics.api import CATEGORIES, DIRECTIONS, METRICS

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

_STRINGS: dict[str, tuple[str, str]] = {
    "app_title": ("金融领域黑灰产违法犯罪联合打击工作看板", "Joint crackdown on financial black and grey industries"),
    "nav_overview": ("总览", "Overview"),
    "nav_trends": ("趋势", "Trends"),
    "nav_regions": ("地区", "Regions"),
    "nav_compare": ("对标", "Compare"),
    "nav_briefings": ("简报", "Briefings"),
    "nav_data": ("数据质量", "Data"),
    "nav_admin": ("管理", "Admin"),
    "nav_audit": ("审计", "Audit"),
    "sign_out": ("退出", "Sign out"),
    "period": ("时间范围", "Period"),
    "preset_ctd": ("专项行动以来", "Campaign to date"),
    "preset_tq": ("本季度", "This quarter"),
    "preset_lq": ("上季度", "Last quarter"),
    "preset_ytd": ("今年以来", "Year to date"),
    "preset_custom": ("自定义", "Custom"),
    "unit": ("报送单位", "Reporting unit"),
    "nation": ("全国", "Nation"),
    "category": ("类别", "Category"),
    "all_categories": ("全部类别", "All categories"),
    "language": ("语言", "Language"),
    "campaign_to_date": ("专项行动以来累计", "Campaign to date"),
    "chosen_period": ("所选期间", "Chosen period"),
    "vs_previous": ("环比", "vs previous"),
    "vs_year_ago": ("同比", "vs year ago"),
    "base_too_small": ("基数过小，不计算百分比", "base too small for a percentage"),
    "published_progress": ("与公开通报数据对照", "Progress against published figures"),
    "published_note": ("公开通报口径：2023年6月1日至2025年11月30日全国累计，“超过”所列数字",
                       "Published figures: national totals 2023-06-01 to 2025-11-30, \"over\" the figure shown"),
    "published_nation_only": ("公开通报数据为全国口径，请选择“全国”查看对照", "Published figures are national: choose the nation to compare"),
    "freshness": ("数据更新情况", "Data freshness"),
    "last_success": ("最近成功加载", "last successful load"),
    "never_loaded": ("从未成功加载", "never loaded"),
    "stale": ("数据滞后", "stale"),
    "fresh": ("正常", "up to date"),
    "no_sources": ("尚无数据加载记录", "No loads recorded yet"),
    "hours_ago": ("{n}小时前", "{n} h ago"),
    "metrics": ("指标", "Metrics"),
    "grain": ("时间粒度", "Grain"),
    "grain_day": ("日", "Day"), "grain_week": ("周", "Week"), "grain_month": ("月", "Month"),
    "grain_quarter": ("季度", "Quarter"), "grain_year": ("年", "Year"),
    "mode": ("口径", "Values"),
    "mode_plain": ("当期", "Per period"), "mode_cumulative": ("累计", "Cumulative"),
    "split": ("拆分", "Split by"),
    "split_metric": ("按指标", "Metric"), "split_category": ("按类别", "Category"),
    "split_direction": ("按方向", "Direction"),
    "grain_coarsened": ("数据点过多，已自动改为按{grain}汇总", "Too many points: aggregated by {grain} instead"),
    "metric": ("指标", "Metric"),
    "measure": ("度量", "Measure"),
    "measure_total": ("总量", "Total"), "measure_per_capita": ("每千万常住人口", "Per 10 million residents"),
    "measure_per_gdp": ("每千亿元GDP", "Per 100 billion yuan GDP"),
    "measure_growth": ("环比增长", "Growth vs previous period"),
    "denominator_population": ("人口口径：{year}年末常住人口，来源：{source}", "Population: year-end {year} residents; source: {source}"),
    "denominator_gdp": ("GDP口径：{year}年地区生产总值，来源：{source}", "GDP: {year} gross regional product; source: {source}"),
    "growth_note": ("增长率为所选期间与上一期间相比；基数过小的单位不着色",
                    "Growth is the chosen period against the previous one; units on a tiny base stay grey"),
    "tile_map": ("各监管局分布", "Bureaus at a glance"),
    "ranking": ("排名", "Ranking"),
    "click_to_drill": ("点击地图方块查看该局下辖分局及趋势", "Click a tile to see the bureau's sub-bureaus and trend"),
    "sub_bureaus": ("下辖分局", "Sub-bureaus"),
    "no_sub_bureaus": ("该局无下辖分局数据", "This bureau has no sub-bureau figures"),
    "unit_trend": ("本局趋势", "Bureau trend"),
    "peers": ("对标组", "Peer group"),
    "peers_default": ("默认：经济规模相近的监管局", "Default: bureaus of similar economic size"),
    "band_rate": ("对标口径", "Basis"),
    "pick_bureau": ("对标仅限省级监管局，当前显示{name}；请在上方选择监管局", "Comparison is between bureaus; showing {name}: choose a bureau above"),
    "rank": ("全国排名", "National rank"),
    "percentile": ("百分位", "Percentile"),
    "peer_rank": ("组内排名", "Rank in group"),
    "gap_median": ("与全国中位数差距", "Gap to national median"),
    "value": ("数值", "Value"),
    "total": ("总量", "Total"),
    "per_capita": ("人均", "Per capita"),
    "per_gdp": ("单位GDP", "Per GDP"),
    "peer_band": ("与对标组区间对比", "Against the peer band"),
    "band_p25_p75": ("对标组25%-75%区间", "Peers, 25th-75th percentile"),
    "band_median": ("对标组中位数", "Peer median"),
    "percentiles": ("各指标百分位", "Percentile on every metric"),
    "download_csv": ("下载CSV", "Download CSV"),
    "png_hint": ("PNG：图表右上角相机按钮", "PNG: camera button on each chart"),
    "period_label": ("{start} 至 {end}", "{start} to {end}"),
    "no_data": ("所选范围内无数据", "No data in this range"),
    "kind_count": ("件数", "Count"), "kind_yuan": ("金额（元）", "Amount (yuan)"), "kind_people": ("人次", "People"),
    "rate_total": ("总量", "Total"), "rate_per_capita": ("每千万常住人口", "Per 10 million residents"),
    "rate_per_gdp": ("每千亿元GDP", "Per 100 billion yuan GDP"),
    "peer_list": ("对标组成员：{names}", "Peer group: {names}"),
    "comparison_table": ("各指标排名与差距", "Rank and gap on every metric"),
    "annotation": ("节点", "Milestone"),
    "as_of": ("数据截至 {day}", "Data as of {day}"),
}


def t(key: str, lang: str, **fields: object) -> str:
    zh, en = _STRINGS[key]
    text = zh if lang == "zh" else en
    return text.format(**fields) if fields else text


def metric_name(metric_id: str, lang: str) -> str:
    m = METRICS[metric_id]
    return m.name_zh if lang == "zh" else m.name_en


def direction_name(number: int, lang: str) -> str:
    info = next(d for d in DIRECTIONS if int(d.number) == int(number))
    return info.name_zh if lang == "zh" else info.name_en


def category_name(category: str, lang: str) -> str:
    if category not in CATEGORIES:
        return "未分类" if lang == "zh" else "Not categorised"
    en, zh = CATEGORIES[category]
    return zh if lang == "zh" else en


def known(key: str) -> bool:
    return key in _STRINGS
