//! The summary sentences of the annual report, written from the data by templates
//! ("全年GDP可比增长7%；完成合同利用外资7.85亿美元、增长30.8%，总量再创历史新高…").
//!
//! A template is text with placeholders and optional sections:
//! - `{period}` `全年` or the stretch of the year (`1-7月`), `{value}` the year's value in the report unit (`7.85亿美元`), `{growth}` its growth
//!   (`30.8%`), `{growth_rank}` / `{level_rank}` the rank among the city's districts (`第一`);
//! - `[g:…]` is kept only when the growth rank is within the top `max_rank`, `[l:…]` likewise
//!   for the level rank, `[h:…]` when the year is a historic high, `[hh:…]` when it is a high
//!   for the second year running, `[h1:…]` when it is a high but the year before was not.
//!
//! A template whose `{value}` or `{growth}` is missing renders nothing, so a report never
//! states a figure it does not have. Templates of one group are joined with `，`, groups with
//! `；`.

use serde::{Deserialize, Serialize};

use super::codes;
use super::rank::ordinal_zh;
use super::series::High;
use crate::ValueError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryTemplate {
    pub indicator: String,
    /// Sentences of one group are one clause of the summary.
    pub group: u32,
    pub text: String,
}

/// What a template may say about one indicator in one year.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// `全年`, or `1-7月` for a stretch of the year.
    pub period: Option<String>,
    pub value: Option<String>,
    pub growth: Option<String>,
    pub growth_rank: Option<u32>,
    pub level_rank: Option<u32>,
    pub high: Option<High>,
}

/// A pseudo-indicator: its `{value}` is the names of the indicators of [`LEADER_CANDIDATES`]
/// in which the zone ranks first by level, joined with `、` (none: no sentence).
pub const LEADERS: &str = "*leaders";

/// The indicators whose first place by level the report names together ("规上工业亩均税收、
/// 楼宇税收总额等指标领跑全市").
pub const LEADER_CANDIDATES: &[&str] = &[codes::INDUSTRIAL_TAX_PER_MU, codes::BUILDING_TAX];

/// The defaults: the clauses of the zone's 2019 work report.
pub fn default_templates() -> Vec<SummaryTemplate> {
    [
        (codes::GDP, 1, "{period}GDP可比增长{growth}"),
        (
            codes::FDI_CONTRACTED,
            2,
            "完成合同利用外资{value}、增长{growth}[hh:，总量再创历史新高][h1:，总量创历史新高]",
        ),
        (codes::FDI_ACTUAL, 2, "完成实到外资{value}"),
        (codes::DOMESTIC_CAPITAL, 2, "引进市外内资{value}"),
        (
            codes::FAI,
            3,
            "实现固定资产投资增长{growth}[g:，增幅列全市{growth_rank}]",
        ),
        (
            codes::FAI_TRANSPORT,
            3,
            "其中交通运输投资增长{growth}[g:，增幅列全市{growth_rank}]",
        ),
        (
            codes::BUDGET_REVENUE,
            4,
            "一般公共预算收入{value}、增长{growth}[g:，增幅列全市{growth_rank}]",
        ),
        (
            codes::INDUSTRIAL_OUTPUT,
            5,
            "完成规上工业总产值{value}[h:，创历史新高]",
        ),
        (LEADERS, 5, "{value}等指标领跑全市"),
        (
            codes::RETAIL_SALES,
            6,
            "社会消费品零售总额增长{growth}[g:，增幅列全市{growth_rank}]",
        ),
        (
            codes::SERVICES_SHARE,
            7,
            "服务业增加值占GDP的比重达{value}[l:，列全市{level_rank}]",
        ),
    ]
    .into_iter()
    .map(|(indicator, group, text)| SummaryTemplate {
        indicator: indicator.into(),
        group,
        text: text.into(),
    })
    .collect()
}

/// Check a template's syntax: balanced sections, known tags and placeholders.
pub fn check_template(text: &str) -> Result<(), ValueError> {
    render(text, &Facts::default(), 0, true).map(|_| ())
}

/// One template filled in, or `None` when it needs a figure the facts lack.
pub fn render_template(text: &str, facts: &Facts, max_rank: u32) -> Option<String> {
    render(text, facts, max_rank, false).ok().flatten()
}

fn render(
    text: &str,
    facts: &Facts,
    max_rank: u32,
    syntax_only: bool,
) -> Result<Option<String>, ValueError> {
    let bad = |why: String| ValueError::new("bad_template", format!("template {text:?}: {why}"));
    let within = |r: Option<u32>| r.is_some_and(|r| r <= max_rank);
    let mut out = String::new();
    let mut missing = false;
    let mut rest = text;
    // Sections do not nest: split into plain text and `[tag:…]` pieces.
    while !rest.is_empty() {
        let (piece, keep) = if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').ok_or_else(|| bad("unclosed [".into()))?;
            let (tag, body) = r[..end]
                .split_once(':')
                .ok_or_else(|| bad("a section needs a tag, as in [g:…]".into()))?;
            if body.contains('[') {
                return Err(bad("sections do not nest".into()));
            }
            let high = facts.high.unwrap_or(High::NoValue);
            let keep = match tag {
                "g" => within(facts.growth_rank),
                "l" => within(facts.level_rank),
                "h" => high.is_new(),
                "hh" => high == High::New { again: true },
                "h1" => high == High::New { again: false },
                other => return Err(bad(format!("unknown section tag {other:?}"))),
            };
            rest = &r[end + 1..];
            (body, keep)
        } else {
            let end = rest.find('[').unwrap_or(rest.len());
            if rest[..end].contains(']') {
                return Err(bad("] without [".into()));
            }
            let piece = &rest[..end];
            rest = &rest[end..];
            (piece, true)
        };
        let filled = fill(piece, facts, &bad)?;
        if keep || syntax_only {
            match filled {
                Some(s) => out.push_str(&s),
                None => missing = true,
            }
        }
    }
    Ok((!missing).then_some(out))
}

fn fill(
    piece: &str,
    facts: &Facts,
    bad: &dyn Fn(String) -> ValueError,
) -> Result<Option<String>, ValueError> {
    let mut out = String::new();
    let mut rest = piece;
    let mut missing = false;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .ok_or_else(|| bad("unclosed {".into()))?
            + start;
        let name = &rest[start + 1..end];
        let v = match name {
            "period" => facts.period.clone(),
            "value" => facts.value.clone(),
            "growth" => facts.growth.clone(),
            "growth_rank" => facts.growth_rank.map(ordinal_zh),
            "level_rank" => facts.level_rank.map(ordinal_zh),
            other => return Err(bad(format!("unknown placeholder {{{other}}}"))),
        };
        match v {
            Some(v) => out.push_str(&v),
            None => missing = true,
        }
        rest = &rest[end + 1..];
    }
    if rest.contains('}') {
        return Err(bad("} without {".into()));
    }
    out.push_str(rest);
    Ok((!missing).then_some(out))
}

/// Join rendered sentences `(group, text)` in template order: `，` within a group, `；`
/// between groups, `。` at the end.
pub fn join_sentences(sentences: &[(u32, String)]) -> String {
    let mut out = String::new();
    let mut group = None;
    for (g, s) in sentences {
        if let Some(prev) = group {
            out.push_str(if prev == *g { "，" } else { "；" });
        }
        out.push_str(s);
        group = Some(*g);
    }
    if !out.is_empty() {
        out.push('。');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(value: Option<&str>, growth: Option<&str>) -> Facts {
        Facts {
            value: value.map(Into::into),
            growth: growth.map(Into::into),
            ..Facts::default()
        }
    }

    #[test]
    fn the_2019_summary_from_figures() {
        let t = default_templates();
        let by = |code: &str| t.iter().find(|x| x.indicator == code).unwrap().text.clone();
        let mut gdp = facts(Some("300亿元"), Some("7%"));
        gdp.period = Some("全年".into());
        let gdp = render_template(&by(codes::GDP), &gdp, 3).unwrap();
        assert_eq!(gdp, "全年GDP可比增长7%");
        let mut fdi = facts(Some("7.85亿美元"), Some("30.8%"));
        fdi.high = Some(High::New { again: true });
        fdi.growth_rank = Some(1);
        let fdi = render_template(&by(codes::FDI_CONTRACTED), &fdi, 3).unwrap();
        assert_eq!(
            fdi,
            "完成合同利用外资7.85亿美元、增长30.8%，总量再创历史新高"
        );
        let mut budget = facts(Some("29亿元"), Some("10%"));
        budget.growth_rank = Some(3);
        let budget = render_template(&by(codes::BUDGET_REVENUE), &budget, 3).unwrap();
        assert_eq!(budget, "一般公共预算收入29亿元、增长10%，增幅列全市第三");
        // Fourth is not worth a clause.
        let mut fai = facts(None, Some("10.5%"));
        fai.growth_rank = Some(4);
        assert_eq!(
            render_template(&by(codes::FAI), &fai, 3).unwrap(),
            "实现固定资产投资增长10.5%"
        );
        // No growth, no sentence.
        assert_eq!(
            render_template(&by(codes::RETAIL_SALES), &facts(None, None), 3),
            None
        );
        let joined = join_sentences(&[
            (1, gdp),
            (2, fdi),
            (2, "完成实到外资4.08亿美元".into()),
            (4, budget),
        ]);
        assert_eq!(
            joined,
            "全年GDP可比增长7%；完成合同利用外资7.85亿美元、增长30.8%，总量再创历史新高，完成实到外资4.08亿美元；一般公共预算收入29亿元、增长10%，增幅列全市第三。"
        );
    }

    #[test]
    fn template_syntax_is_checked() {
        for t in default_templates() {
            check_template(&t.text).unwrap();
        }
        for bad in [
            "增长{growht}",
            "增长[x:1]",
            "增长[g:1",
            "增长{growth",
            "a]b",
            "[g:[l:x]]",
            "[gx]",
        ] {
            assert_eq!(
                check_template(bad).unwrap_err().code,
                "bad_template",
                "{bad}"
            );
        }
    }
}
