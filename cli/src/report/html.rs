//! The report as one HTML page: polyglot markup (every element closed,
//! every attribute quoted, so it also parses as XML), one inline style
//! sheet with print rules, inline SVG from [`super::charts`], no script and
//! no external resource. Every data string goes through [`esc`]; every
//! fixed word comes from [`super::i18n`].

use kompetens::aggregate::{Scope, Table as RowTable};
use kompetens::Framework;

use super::charts;
use super::i18n::{Words, EN, SV};
use super::{CompetenceData, Origin, Report};
use crate::commands::{pct, percent, percent0, points, thousands, Lang};
use crate::error::CliError;

/// Escape text for HTML and XML (element content and quoted attributes).
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The words of a language.
pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Sv => &SV,
        Lang::En => &EN,
    }
}

/// Ids of the sections, in order.
pub const SECTIONS: [&str; 7] = [
    "overview", "heatmap", "needs", "demand", "maturity", "change", "method",
];

const CSS: &str = r#"
:root{--ink:#1b1b1b;--muted:#555;--line:#c9ccd1;--accent:#0b4f8a;--soft:#f2f4f7}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff}
header,main,footer{max-width:64rem;margin:0 auto;padding:0 1.25rem}
header{padding-top:2rem;padding-bottom:.5rem;border-bottom:3px solid var(--accent)}
h1{font-size:1.9rem;line-height:1.2;margin:0 0 .25rem}
h2{font-size:1.45rem;margin:2.75rem 0 .75rem;padding-bottom:.25rem;border-bottom:1px solid var(--line)}
h3{font-size:1.1rem;margin:1.5rem 0 .5rem}
p{margin:.5rem 0 .75rem;max-width:48rem}
.lede{font-size:1.15rem;color:var(--muted);margin:.1rem 0 .75rem}
nav h2{font-size:1rem;border:0;margin:1rem 0 .25rem;padding:0}
nav ol{columns:2;margin:0 0 1rem;padding-left:1.4rem}
a{color:var(--accent)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.75rem 0 1rem}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
ul.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:.75rem;margin:1rem 0 1.25rem;padding:0;list-style:none}
ul.figures li{background:var(--soft);border-left:4px solid var(--accent);padding:.6rem .8rem}
ul.figures .k{display:block;font-size:.85rem;color:var(--muted)}
ul.figures .v{display:block;font-size:1.6rem;font-weight:700;font-variant-numeric:tabular-nums;line-height:1.25}
ul.figures .s{display:block;font-size:.8rem;color:var(--muted)}
.wide{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.25rem;font-size:.9rem}
caption{text-align:left;font-weight:600;padding:.25rem 0 .5rem}
th,td{border-bottom:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
thead th{border-bottom:2px solid var(--ink);background:var(--soft);font-weight:600}
tbody th{font-weight:400}
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.d0 th{font-weight:700}
tr.d1 th{padding-left:1.3rem}
tr.d2 th{padding-left:2.3rem}
tr.d3 th{padding-left:3.3rem}
tr.d4 th{padding-left:4.3rem}
table.dense{font-size:.78rem}
table.dense td,table.dense th{padding:.2rem .3rem}
.wh{color:var(--muted);font-style:italic}
.cid{font-variant-numeric:tabular-nums;font-weight:600;margin-right:.3rem}
.sub{display:block;color:var(--muted);font-size:.85em}
figure{margin:1rem 0 1.5rem}
figure svg{max-width:100%;height:auto;display:block}
figcaption{font-size:.9rem;color:var(--muted);margin-top:.4rem}
.pair{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:1rem}
.note{font-size:.9rem;color:var(--muted)}
.omitted{background:var(--soft);padding:.75rem 1rem;border-left:4px solid var(--line)}
details{margin:.25rem 0 1.5rem}
summary{cursor:pointer;color:var(--accent)}
ol.weak li{margin:.2rem 0}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
footer{margin-top:3rem;padding-top:1rem;padding-bottom:2rem;border-top:1px solid var(--line);font-size:.85rem;color:var(--muted)}
@media print{
@page{size:A4;margin:14mm}
body{font-size:10pt}
nav{display:none}
header,main,footer{max-width:none;padding-left:0;padding-right:0}
main>section{break-before:page}
main>section:first-child{break-before:auto}
h2,h3{break-after:avoid}
figure,tr,ul.figures li,dl.facts{break-inside:avoid}
a{color:inherit;text-decoration:none}
.wide{overflow:visible}
ul.figures li{border:1px solid var(--line);border-left:4px solid var(--accent)}
}
"#;

fn unit_name(c: &CompetenceData, id: &str, tag: &str) -> String {
    c.org
        .unit(id)
        .map_or_else(|| id.to_string(), |u| u.name.get(tag).to_string())
}

fn competence_name<'a>(fw: &'a Framework, id: &str, tag: &str) -> &'a str {
    fw.competence(id).map_or("", |c| c.name.get(tag))
}

/// A number with `digits` decimals and the language's decimal sign.
fn dec(x: f64, digits: usize, lang: Lang) -> String {
    let s = format!("{x:.digits$}");
    match lang {
        Lang::En => s,
        Lang::Sv => s.replace('.', ",").replace('-', "\u{2212}"),
    }
}

fn count(n: u64, lang: Lang) -> String {
    thousands(n, lang)
}

fn depth_class(d: usize) -> String {
    format!("d{}", d.min(4))
}

fn figure(svg: Option<String>, caption: &str) -> String {
    match svg {
        Some(svg) => format!(
            "<figure>{}<figcaption>{}</figcaption></figure>\n",
            svg,
            esc(caption)
        ),
        None => String::new(),
    }
}

fn section_start(id: &str, heading: &str) -> String {
    format!(
        "<section id=\"{id}\" aria-labelledby=\"{id}-h\">\n<h2 id=\"{id}-h\">{}</h2>\n",
        esc(heading)
    )
}

fn omitted(w: &Words, what: &str) -> String {
    format!(
        "<p class=\"omitted\">{}</p>\n",
        esc(&w.omitted.replace("{what}", what))
    )
}

fn heading(w: &Words, id: &str) -> &'static str {
    match id {
        "overview" => w.h_overview,
        "heatmap" => w.h_heatmap,
        "needs" => w.h_needs,
        "demand" => w.h_demand,
        "maturity" => w.h_maturity,
        "change" => w.h_change,
        _ => w.h_method,
    }
}

/// The whole page.
pub fn render(r: &Report) -> Result<String, CliError> {
    let w = words(r.lang);
    let mut out = String::with_capacity(200_000);
    let title = if r.org_name.is_empty() {
        w.title.to_string()
    } else {
        format!("{} – {}", w.title, r.org_name)
    };
    out.push_str("<!DOCTYPE html>\n");
    out.push_str(&format!("<html lang=\"{}\">\n<head>\n", w.tag));
    out.push_str("<meta charset=\"utf-8\"/>\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    out.push_str(&format!(
        "<meta name=\"generator\" content=\"kompetens {}\"/>\n",
        env!("CARGO_PKG_VERSION")
    ));
    out.push_str(&format!("<title>{}</title>\n", esc(&title)));
    out.push_str(&format!("<style>{CSS}</style>\n</head>\n<body>\n"));

    // Header and contents.
    out.push_str("<header>\n");
    out.push_str(&format!("<h1>{}</h1>\n", esc(w.title)));
    if !r.org_name.is_empty() {
        out.push_str(&format!("<p class=\"lede\">{}</p>\n", esc(&r.org_name)));
    }
    match &r.origin {
        Origin::Demo => out.push_str(&format!(
            "<p class=\"note\">{}</p>\n",
            esc(&w
                .demo_origin
                .replace("{seed}", &format!("{:#018x}", kompetens::demo::SEED)))
        )),
        Origin::Files(files) => {
            let list: Vec<String> = files
                .iter()
                .map(|(flag, path)| format!("<code>{}</code> {}", esc(flag), esc(path)))
                .collect();
            out.push_str(&format!(
                "<p class=\"note\">{} {}</p>\n",
                esc(w.files_origin),
                list.join(" · ")
            ));
        }
    }
    out.push_str(&format!(
        "<nav aria-labelledby=\"toc-h\">\n<h2 id=\"toc-h\">{}</h2>\n<ol>\n",
        esc(w.contents)
    ));
    for id in SECTIONS {
        out.push_str(&format!(
            "<li><a href=\"#{id}\">{}</a></li>\n",
            esc(heading(w, id))
        ));
    }
    out.push_str("</ol>\n</nav>\n</header>\n<main>\n");

    out.push_str(&overview(r, w));
    out.push_str(&heatmap(r, w)?);
    out.push_str(&needs(r, w));
    out.push_str(&demand(r, w));
    out.push_str(&maturity(r, w)?);
    out.push_str(&change(r, w)?);
    out.push_str(&method(r, w));

    out.push_str("</main>\n<footer>\n");
    out.push_str(&format!(
        "<p>{}</p>\n",
        esc(&w
            .generated_by
            .replace("{version}", env!("CARGO_PKG_VERSION")))
    ));
    out.push_str("</footer>\n</body>\n</html>\n");
    Ok(out)
}

fn overview(r: &Report, w: &Words) -> String {
    let lang = r.lang;
    let tag = w.tag;
    let mut out = section_start("overview", w.h_overview);
    let mut facts: Vec<(&str, String)> = Vec::new();
    let mut figures: Vec<(&str, String, Option<String>)> = Vec::new();
    if let Some(c) = &r.competence {
        let s = &c.summary;
        facts.push((w.framework, c.org.framework.name.get(tag).to_string()));
        if !c.wave.is_empty() {
            facts.push((w.wave, c.wave.clone()));
        }
        if let Some(ch) = &c.change {
            facts.push((w.compared_with, ch.before.clone()));
        }
        let mut policy = c.policy.clone();
        if policy == kompetens::demo::DEMO_POLICY {
            policy = format!("{policy} – {}", w.policy_note);
        }
        facts.push((w.policy, policy));
        figures.push((w.k_people, count(s.people as u64, lang), None));
        figures.push((w.k_units, count(c.org.units.len() as u64, lang), None));
        figures.push((
            w.k_without,
            count(s.without_ratings as u64, lang),
            Some(percent(
                s.without_ratings as f64 / s.people.max(1) as f64,
                lang,
            )),
        ));
        let now = s
            .units
            .first()
            .filter(|u| u.with_readiness as u64 >= r.min_group)
            .and_then(|u| u.mean_readiness);
        let pos = c.trend.iter().position(|(id, _)| *id == c.wave);
        let before = pos
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| c.trend.get(i))
            .and_then(|(_, v)| *v);
        figures.push((
            w.k_readiness,
            now.map_or("–".into(), |x| percent(x, lang)),
            before.map(|b| w.since.replace("{before}", &percent(b, lang))),
        ));
    }
    facts.push((w.min_group, r.min_group.to_string()));
    if let Some(m) = &r.maturity {
        let res = &m.result;
        figures.push((
            w.k_maturity,
            res.overall.map_or("–".into(), |x| pct(x, lang)),
            m.comparison
                .as_ref()
                .and_then(|c| c.overall.change)
                .map(|x| points(x, lang)),
        ));
        if let Some(t) = &res.maturity_type {
            figures.push((w.k_type, t.id.clone(), Some(t.name.get(tag).to_string())));
        }
        figures.push((w.k_respondents, count(res.n_respondents as u64, lang), None));
    }
    out.push_str("<ul class=\"figures\">\n");
    for (k, v, s) in &figures {
        out.push_str(&format!(
            "<li><span class=\"k\">{}</span><span class=\"v\">{}</span>",
            esc(k),
            esc(v)
        ));
        if let Some(s) = s {
            out.push_str(&format!("<span class=\"s\">{}</span>", esc(s)));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n<dl class=\"facts\">\n");
    for (k, v) in &facts {
        out.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", esc(k), esc(v)));
    }
    out.push_str("</dl>\n");

    match &r.competence {
        None => out.push_str(&omitted(w, w.needs_assessments)),
        Some(c) => {
            out.push_str(&format!(
                "<div class=\"wide\">\n<table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"n\">{}</th><th scope=\"col\" class=\"n\">{}</th><th scope=\"col\" class=\"n\">{}</th></tr></thead>\n<tbody>\n",
                esc(w.readiness_caption),
                esc(w.unit),
                esc(w.people),
                esc(w.no_ratings),
                esc(w.readiness)
            ));
            let all_shown = c
                .summary
                .units
                .iter()
                .all(|u| u.with_readiness == 0 || u.with_readiness as u64 >= r.min_group);
            for u in &c.summary.units {
                out.push_str(&format!(
                    "<tr class=\"{}\"><th scope=\"row\">{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                    depth_class(u.depth),
                    esc(&unit_name(c, &u.unit, tag)),
                    count(u.people as u64, lang),
                    count(u.without_ratings as u64, lang),
                    readiness(u, all_shown, r.min_group, w, lang)
                ));
            }
            out.push_str("</tbody>\n</table>\n</div>\n");
            out.push_str(&format!(
                "<p class=\"note\">{}</p>\n",
                esc(&w.readiness_def.replace("{min}", &r.min_group.to_string()))
            ));
        }
    }
    out.push_str("</section>\n");
    out
}

/// A unit's mean readiness. The mean is a statistic about the people
/// rated, and the summary has no secondary suppression: so when any unit
/// has fewer than `min_group` people with a readiness, every unit but the
/// root is withheld (else a small unit's mean follows from its parent's
/// and its siblings'), and the root too when it is that small.
fn readiness(
    u: &kompetens::demo::UnitSummary,
    all_shown: bool,
    min_group: u64,
    w: &Words,
    lang: Lang,
) -> String {
    let small = u.with_readiness > 0 && (u.with_readiness as u64) < min_group;
    match u.mean_readiness {
        _ if small || (!all_shown && u.depth > 0) => {
            format!("<span class=\"wh\">{}</span>", esc(w.withheld))
        }
        Some(x) => percent(x, lang),
        None => "–".into(),
    }
}

fn heatmap(r: &Report, w: &Words) -> Result<String, CliError> {
    let lang = r.lang;
    let tag = w.tag;
    let mut out = section_start("heatmap", w.h_heatmap);
    let Some(c) = &r.competence else {
        out.push_str(&omitted(w, w.needs_assessments));
        out.push_str("</section>\n");
        return Ok(out);
    };
    out.push_str(&format!(
        "<p>{}</p>\n",
        esc(&w.heatmap_intro.replace("{min}", &r.min_group.to_string()))
    ));
    out.push_str(&figure(charts::heatmap(c, lang)?, w.heatmap_caption));
    let comps = &c.layout.competences;
    out.push_str(&format!(
        "<details>\n<summary>{}</summary>\n<div class=\"wide\">\n<table class=\"dense\">\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th>",
        esc(w.show_table),
        esc(w.heatmap_table_caption),
        esc(w.unit)
    ));
    for id in comps {
        out.push_str(&format!(
            "<th scope=\"col\" class=\"n\"><abbr title=\"{}\">{}</abbr></th>",
            esc(competence_name(&c.org.framework, id, tag)),
            esc(id)
        ));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let tree = &c.layout.tree;
    for &u in tree.preorder() {
        let u = u as usize;
        let id = tree.id(u);
        out.push_str(&format!(
            "<tr class=\"{}\"><th scope=\"row\">{}</th>",
            depth_class(tree.depth(u)),
            esc(&unit_name(c, id, tag))
        ));
        for comp in comps {
            let row = c.publication.rows.iter().find(|x| {
                x.table == RowTable::Unit
                    && x.scope == Some(Scope::Rollup)
                    && x.role.is_none()
                    && x.unit.as_deref() == Some(id)
                    && x.competence.as_deref() == Some(comp.as_str())
            });
            let cell = match row {
                Some(x) if x.suppressed.is_some() => format!(
                    "<td class=\"n wh\"><span aria-hidden=\"true\">▨</span><span class=\"sr\">{}</span></td>",
                    esc(w.withheld)
                ),
                Some(x) => match x.coverage {
                    Some(v) => format!("<td class=\"n\">{}</td>", percent0(v, lang)),
                    None => format!(
                        "<td class=\"n wh\"><span aria-hidden=\"true\">·</span><span class=\"sr\">{}</span></td>",
                        esc(w.not_counted)
                    ),
                },
                None => format!(
                    "<td class=\"n wh\"><span aria-hidden=\"true\">·</span><span class=\"sr\">{}</span></td>",
                    esc(w.not_counted)
                ),
            };
            out.push_str(&cell);
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
    out.push_str(&format!(
        "<p class=\"note\">▨ {} · · {}</p>\n</details>\n",
        esc(w.withheld),
        esc(w.not_counted)
    ));
    out.push_str("</section>\n");
    Ok(out)
}

fn needs(r: &Report, w: &Words) -> String {
    let lang = r.lang;
    let tag = w.tag;
    let mut out = section_start("needs", w.h_needs);
    let Some(c) = &r.competence else {
        out.push_str(&omitted(w, w.needs_assessments));
        out.push_str("</section>\n");
        return out;
    };
    out.push_str(&format!("<p>{}</p>\n", esc(w.needs_intro)));
    out.push_str(&format!(
        "<div class=\"wide\">\n<table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th>",
        esc(w.needs_caption),
        esc(w.unit)
    ));
    for k in 1..=3 {
        out.push_str(&format!(
            "<th scope=\"col\">{}</th>",
            esc(&w.need_n.replace("{n}", &k.to_string()))
        ));
    }
    out.push_str(&format!(
        "<th scope=\"col\" class=\"n\">{}</th></tr></thead>\n<tbody>\n",
        esc(w.withheld_cells)
    ));
    let tree = &c.layout.tree;
    for &u in tree.preorder() {
        let u = u as usize;
        let id = tree.id(u);
        out.push_str(&format!(
            "<tr class=\"{}\"><th scope=\"row\">{}</th>",
            depth_class(tree.depth(u)),
            esc(&unit_name(c, id, tag))
        ));
        let mut top: Vec<_> = c
            .publication
            .top_needs
            .iter()
            .filter(|t| t.unit == id)
            .collect();
        top.sort_by_key(|t| t.rank);
        for k in 0..3 {
            match top.get(k) {
                Some(t) => out.push_str(&format!(
                    "<td><span class=\"cid\">{}</span>{}<span class=\"sub\">{}</span></td>",
                    esc(&t.competence),
                    esc(competence_name(&c.org.framework, &t.competence, tag)),
                    esc(&w
                        .coverage_of
                        .replace(
                            "{coverage}",
                            &t.coverage.map_or("–".into(), |v| percent0(v, lang))
                        )
                        .replace("{n}", &count(t.people, lang)))
                )),
                None => out.push_str("<td></td>"),
            }
        }
        let withheld = c
            .publication
            .rows
            .iter()
            .filter(|x| {
                x.table == RowTable::Unit
                    && x.scope == Some(Scope::Rollup)
                    && x.role.is_none()
                    && x.competence.is_some()
                    && x.unit.as_deref() == Some(id)
                    && x.suppressed.is_some()
            })
            .count();
        out.push_str(&format!("<td class=\"n\">{withheld}</td></tr>\n"));
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
    let a = &c.audit;
    out.push_str(&format!(
        "<p class=\"note\">{}</p>\n",
        esc(&w
            .audit
            .replace("{cells}", &count(a.cells as u64, lang))
            .replace("{withheld}", &count(a.withheld as u64, lang))
            .replace("{primary}", &count(a.primary as u64, lang))
            .replace("{secondary}", &count(a.secondary as u64, lang))
            .replace("{found}", &a.findings.len().to_string()))
    ));
    out.push_str("</section>\n");
    out
}

/// Lines of the demand list shown.
const DEMAND_LINES: usize = 12;

fn demand(r: &Report, w: &Words) -> String {
    let lang = r.lang;
    let tag = w.tag;
    let mut out = section_start("demand", w.h_demand);
    let Some(c) = &r.competence else {
        out.push_str(&omitted(w, w.needs_assessments));
        out.push_str("</section>\n");
        return out;
    };
    out.push_str(&format!(
        "<p>{}</p>\n",
        esc(&w.demand_intro.replace("{min}", &r.min_group.to_string()))
    ));
    let index = c.org.framework.competence_index();
    let mut lines: Vec<_> = c
        .demand
        .iter()
        .filter(|l| l.suppressed.is_none() && l.people.unwrap_or(0) > 0)
        .collect();
    lines.sort_by(|a, b| {
        b.people
            .cmp(&a.people)
            .then_with(|| {
                index
                    .get(a.competence.as_str())
                    .cmp(&index.get(b.competence.as_str()))
            })
            .then_with(|| a.target_level.cmp(&b.target_level))
    });
    lines.truncate(DEMAND_LINES);
    let withheld = c.demand.iter().filter(|l| l.suppressed.is_some()).count();
    out.push_str(&format!(
        "<div class=\"wide\">\n<table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"n\">{}</th><th scope=\"col\" class=\"n\">{}</th><th scope=\"col\" class=\"n\">{}</th><th scope=\"col\" class=\"n\">{}</th><th scope=\"col\" class=\"n\">{}</th></tr></thead>\n<tbody>\n",
        esc(&w.demand_caption.replace("{n}", &DEMAND_LINES.to_string())),
        esc(w.competence),
        esc(w.target_level),
        esc(w.below_target),
        esc(w.group),
        esc(w.share_below),
        esc(w.units_below)
    ));
    for l in &lines {
        let share = match (l.people, l.group) {
            (Some(p), Some(g)) if g > 0 => percent0(p as f64 / g as f64, lang),
            _ => "–".into(),
        };
        out.push_str(&format!(
            "<tr><th scope=\"row\"><span class=\"cid\">{}</span>{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
            esc(&l.competence),
            esc(competence_name(&c.org.framework, &l.competence, tag)),
            l.target_level,
            l.people.map_or("–".into(), |n| count(n, lang)),
            l.group.map_or("–".into(), |n| count(n, lang)),
            share,
            l.units.map_or("–".into(), |n| count(n, lang))
        ));
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
    if withheld > 0 {
        out.push_str(&format!(
            "<p class=\"note\">{}</p>\n",
            esc(&w.demand_withheld.replace("{n}", &withheld.to_string()))
        ));
    }
    out.push_str("</section>\n");
    out
}

fn maturity(r: &Report, w: &Words) -> Result<String, CliError> {
    let lang = r.lang;
    let tag = w.tag;
    let mut out = section_start("maturity", w.h_maturity);
    let Some(m) = &r.maturity else {
        out.push_str(&omitted(w, w.needs_dimios));
        out.push_str("</section>\n");
        return Ok(out);
    };
    let res = &m.result;
    out.push_str(&format!(
        "<p>{}",
        esc(&w
            .maturity_intro
            .replace("{model}", m.model.name.get(tag))
            .replace("{year}", m.year.as_deref().unwrap_or(""))
            .replace("{n}", &count(res.n_respondents as u64, lang))
            .replace("  ", " ")
            .replace(" :", ":"))
    ));
    if let Some([managers, strategists, developers]) = m.by_role {
        out.push(' ');
        out.push_str(&esc(&w
            .by_role
            .replace("{managers}", &managers.to_string())
            .replace("{strategists}", &strategists.to_string())
            .replace("{developers}", &developers.to_string())));
    }
    out.push_str("</p>\n");
    if let Some(info) = &m.model.instrument {
        out.push_str(&format!(
            "<p class=\"note\">{}",
            esc(&w.instrument.replace("{name}", info.name.get(tag)))
        ));
        if info.example {
            out.push(' ');
            out.push_str(&esc(w.example_instrument));
        }
        out.push_str("</p>\n");
    }
    if let Some(t) = &res.maturity_type {
        out.push_str(&format!(
            "<h3>{}</h3>\n<p>{}</p>\n",
            esc(t.name.get(tag)),
            esc(t.description.get(tag))
        ));
    }
    out.push_str("<div class=\"pair\">\n");
    out.push_str(&figure(charts::quadrant(m, lang)?, w.quadrant_caption));
    out.push_str(&figure(charts::spider(m, lang)?, w.spider_caption));
    out.push_str("</div>\n");

    let category_name = |id: &str| {
        res.categories
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| id.to_string(), |c| c.name.get(tag).to_string())
    };
    out.push_str(&format!(
        "<h3>{}</h3>\n<ol class=\"weak\">\n",
        esc(w.weaknesses)
    ));
    for c in &res.weakest_categories {
        out.push_str(&format!(
            "<li>{} – {}</li>\n",
            esc(&category_name(&c.id)),
            pct(c.percentage, lang)
        ));
    }
    out.push_str("</ol>\n");

    // Levels with change.
    let change_of = |list: Option<&Vec<kompetens::maturity::Change>>, id: &str| {
        list.and_then(|l| l.iter().find(|c| c.id == id))
            .and_then(|c| c.change)
    };
    let cmp = m.comparison.as_ref();
    let with_change = cmp.is_some();
    out.push_str(&format!(
        "<div class=\"wide\">\n<table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\"></th><th scope=\"col\" class=\"n\">{}</th>",
        esc(w.levels_caption),
        esc(m.year.as_deref().unwrap_or("%"))
    ));
    if with_change {
        let since = match &m.previous_year {
            Some(y) => w.change_since.replace("{year}", y),
            None => w.change_since.replace(" {year}", "").replace("{year}", ""),
        };
        out.push_str(&format!(
            "<th scope=\"col\" class=\"n\">{}</th>",
            esc(&since)
        ));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let row = |out: &mut String, depth: usize, name: &str, v: Option<f64>, ch: Option<f64>| {
        out.push_str(&format!(
            "<tr class=\"{}\"><th scope=\"row\">{}</th><td class=\"n\">{}</td>",
            depth_class(depth),
            esc(name),
            v.map_or("–".into(), |x| pct(x, lang))
        ));
        if with_change {
            out.push_str(&format!(
                "<td class=\"n\">{}</td>",
                ch.map_or("–".into(), |x| points(x, lang))
            ));
        }
        out.push_str("</tr>\n");
    };
    row(
        &mut out,
        0,
        w.overall,
        res.overall,
        cmp.and_then(|c| c.overall.change),
    );
    for d in &res.dimensions {
        row(
            &mut out,
            1,
            d.name.get(tag),
            d.percentage,
            change_of(cmp.map(|c| &c.dimensions), &d.id),
        );
        for c in res
            .categories
            .iter()
            .filter(|c| c.dimension.as_deref() == Some(d.id.as_str()))
        {
            row(
                &mut out,
                2,
                c.name.get(tag),
                c.percentage,
                change_of(cmp.map(|x| &x.categories), &c.id),
            );
        }
    }
    out.push_str("</tbody>\n</table>\n</div>\n");

    // Units.
    if let Some(units) = &res.units {
        out.push_str(&format!(
            "<div class=\"wide\">\n<table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"n\">{}</th><th scope=\"col\" class=\"n\">{}</th>",
            esc(&w.maturity_units_caption.replace("{min}", &m.min_respondents.to_string())),
            esc(w.unit),
            esc(w.respondents),
            esc(w.overall)
        ));
        for d in &res.dimensions {
            out.push_str(&format!(
                "<th scope=\"col\" class=\"n\">{}</th>",
                esc(d.name.get(tag))
            ));
        }
        out.push_str(&format!(
            "<th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
            esc(w.type_),
            esc(w.weakest)
        ));
        for u in units.iter().filter(|u| u.depth <= 2) {
            let s = &u.rolled_up;
            out.push_str(&format!(
                "<tr class=\"{}\"><th scope=\"row\">{}</th><td class=\"n\">{}</td>",
                depth_class(u.depth),
                esc(if u.name.is_empty() {
                    &u.id
                } else {
                    u.name.get(tag)
                }),
                s.n_respondents
            ));
            match s.result.as_deref().filter(|_| !s.withheld) {
                None => out.push_str(&format!(
                    "<td class=\"wh\" colspan=\"{}\">{}</td>",
                    res.dimensions.len() + 3,
                    esc(w.withheld)
                )),
                Some(x) => {
                    out.push_str(&format!(
                        "<td class=\"n\">{}</td>",
                        x.overall.map_or("–".into(), |v| pct(v, lang))
                    ));
                    for d in &res.dimensions {
                        let v = x
                            .dimensions
                            .iter()
                            .find(|y| y.id == d.id)
                            .and_then(|y| y.percentage);
                        out.push_str(&format!(
                            "<td class=\"n\">{}</td>",
                            v.map_or("–".into(), |v| pct(v, lang))
                        ));
                    }
                    out.push_str(&format!(
                        "<td>{}</td><td>{}</td>",
                        esc(x.maturity_type.as_ref().map_or("", |t| t.id.as_str())),
                        esc(&x
                            .weakest_categories
                            .first()
                            .map_or(String::new(), |c| category_name(&c.id)))
                    ));
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n</div>\n");
    }
    out.push_str(&format!("<p class=\"note\">{}</p>\n", esc(w.maturity_def)));
    out.push_str("</section>\n");
    Ok(out)
}

fn share(x: u64, of: u64, lang: Lang) -> String {
    if of == 0 {
        "–".into()
    } else {
        percent(x as f64 / of as f64, lang)
    }
}

fn change(r: &Report, w: &Words) -> Result<String, CliError> {
    let lang = r.lang;
    let tag = w.tag;
    let mut out = section_start("change", w.h_change);
    match r.competence.as_ref().map(|c| (c, c.change.as_ref())) {
        None => out.push_str(&omitted(w, w.needs_assessments)),
        Some((_, None)) => out.push_str(&omitted(w, w.needs_two_waves)),
        Some((c, Some(ch))) => {
            out.push_str(&format!(
                "<p>{}</p>\n",
                esc(&w
                    .change_intro
                    .replace("{before}", &ch.before)
                    .replace("{after}", &ch.after)
                    .replace("{people}", &count(ch.people_in_both as u64, lang))
                    .replace("{min}", &r.min_group.to_string()))
            ));
            out.push_str(&figure(charts::wave_change(c, ch, lang)?, w.change_caption));
            let tree = &c.layout.tree;
            let root = tree
                .roots()
                .first()
                .map(|&u| tree.id(u as usize).to_string())
                .unwrap_or_default();
            out.push_str(&format!(
                "<div class=\"wide\">\n<table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"n\">{}</th><th scope=\"col\" class=\"n\">{}</th><th scope=\"col\" class=\"n\">{}</th><th scope=\"col\" class=\"n\">{}</th><th scope=\"col\" class=\"n\">{}</th><th scope=\"col\" class=\"n\">{}</th><th scope=\"col\" class=\"n\">d<sub>z</sub></th></tr></thead>\n<tbody>\n",
                esc(w.change_table_caption),
                esc(w.competence),
                esc(w.paired),
                esc(w.mean_before),
                esc(w.mean_after),
                esc(w.mean_change),
                esc(w.improved),
                esc(w.p_value)
            ));
            for comp in &c.layout.competences {
                let Some(x) =
                    ch.publication.rows.iter().find(|x| {
                        x.unit == root && x.scope == Scope::Rollup && x.competence == *comp
                    })
                else {
                    continue;
                };
                let num = |v: Option<f64>, d: usize| v.map_or("–".into(), |v| dec(v, d, lang));
                let signed = |v: Option<f64>| {
                    v.map_or("–".into(), |v| {
                        let s = dec(v, 2, lang);
                        if v >= 0.0 {
                            format!("+{s}")
                        } else {
                            s
                        }
                    })
                };
                let p = x.wilcoxon_pvalue.map_or("–".into(), |p| {
                    if p < 0.001 {
                        format!("&lt; {}", dec(0.001, 3, lang))
                    } else {
                        dec(p, 3, lang)
                    }
                });
                if x.suppressed.is_none() && x.paired == Some(0) {
                    continue;
                }
                if x.suppressed.is_some() {
                    out.push_str(&format!(
                        "<tr><th scope=\"row\"><span class=\"cid\">{}</span>{}</th><td class=\"wh\" colspan=\"7\">{}</td></tr>\n",
                        esc(comp),
                        esc(competence_name(&c.org.framework, comp, tag)),
                        esc(w.withheld)
                    ));
                    continue;
                }
                out.push_str(&format!(
                    "<tr><th scope=\"row\"><span class=\"cid\">{}</span>{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                    esc(comp),
                    esc(competence_name(&c.org.framework, comp, tag)),
                    x.paired.map_or("–".into(), |n| count(n, lang)),
                    num(x.mean_before, 2),
                    num(x.mean_after, 2),
                    signed(x.mean_change),
                    x.share_improved.map_or("–".into(), |s| percent0(s, lang)),
                    p,
                    num(x.d_z, 2)
                ));
            }
            out.push_str("</tbody>\n</table>\n</div>\n");

            // Units one level down, summed over their published cells.
            out.push_str(&format!(
                "<div class=\"wide\">\n<table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"n\">{}</th><th scope=\"col\" class=\"n\">{}</th><th scope=\"col\" class=\"n\">{}</th><th scope=\"col\" class=\"n\">{}</th></tr></thead>\n<tbody>\n",
                esc(w.change_units_caption),
                esc(w.unit),
                esc(w.paired),
                esc(w.improved),
                esc(w.unchanged),
                esc(w.declined)
            ));
            for &u in tree.preorder() {
                let u = u as usize;
                if tree.depth(u) > 1 {
                    continue;
                }
                let id = tree.id(u);
                let (mut p, mut i, mut s, mut d) = (0u64, 0u64, 0u64, 0u64);
                let mut hidden = false;
                for x in ch
                    .publication
                    .rows
                    .iter()
                    .filter(|x| x.unit == id && x.scope == Scope::Rollup)
                {
                    hidden |= x.suppressed.is_some();
                    if let (Some(a), Some(b), Some(e), Some(f)) =
                        (x.paired, x.improved, x.unchanged, x.declined)
                    {
                        p += a;
                        i += b;
                        s += e;
                        d += f;
                    }
                }
                if p == 0 && hidden {
                    out.push_str(&format!(
                        "<tr class=\"{}\"><th scope=\"row\">{}</th><td class=\"wh\" colspan=\"4\">{}</td></tr>\n",
                        depth_class(tree.depth(u)),
                        esc(&unit_name(c, id, tag)),
                        esc(w.withheld)
                    ));
                    continue;
                }
                out.push_str(&format!(
                    "<tr class=\"{}\"><th scope=\"row\">{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                    depth_class(tree.depth(u)),
                    esc(&unit_name(c, id, tag)),
                    count(p, lang),
                    share(i, p, lang),
                    share(s, p, lang),
                    share(d, p, lang)
                ));
            }
            out.push_str("</tbody>\n</table>\n</div>\n");
            if let Some(mv) = ch
                .publication
                .movements
                .iter()
                .find(|x| x.unit == root && x.scope == Scope::Rollup)
            {
                let n = |v: Option<u64>| v.map_or(w.withheld.to_string(), |n| count(n, lang));
                out.push_str(&format!(
                    "<p class=\"note\">{}</p>\n",
                    esc(&w
                        .movements
                        .replace("{joined}", &n(mv.joined))
                        .replace("{left}", &n(mv.left)))
                ));
            }
        }
    }
    // DiMiOS change.
    match &r.maturity {
        Some(m) if m.comparison.is_some() => {
            if let Some(svg) = charts::maturity_change(m, lang)? {
                out.push_str(&format!("<h3>{}</h3>\n", esc(w.h_maturity)));
                out.push_str(&figure(Some(svg), w.maturity_change_caption));
            }
        }
        Some(_) => out.push_str(&omitted(w, w.needs_dimios_previous)),
        None => {}
    }
    out.push_str("</section>\n");
    Ok(out)
}

fn method(r: &Report, w: &Words) -> String {
    let mut out = section_start("method", w.h_method);
    for p in w.method {
        out.push_str(&format!(
            "<p>{}</p>\n",
            esc(&p.replace("{min}", &r.min_group.to_string()))
        ));
    }
    out.push_str("</section>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc(r#"Museum & "Konst" <x> 'y'"#),
            "Museum &amp; &quot;Konst&quot; &lt;x&gt; &#39;y&#39;"
        );
        assert_eq!(esc("Kulturförvaltningen"), "Kulturförvaltningen");
    }

    #[test]
    fn decimals_follow_the_language() {
        assert_eq!(dec(3.3077, 2, Lang::Sv), "3,31");
        assert_eq!(dec(-0.25, 2, Lang::Sv), "\u{2212}0,25");
        assert_eq!(dec(3.3077, 2, Lang::En), "3.31");
    }

    #[test]
    fn both_languages_have_every_section_heading() {
        for w in [&SV, &EN] {
            for id in SECTIONS {
                assert!(!heading(w, id).is_empty());
            }
        }
        assert_ne!(heading(&SV, "overview"), heading(&EN, "overview"));
    }

    #[test]
    fn placeholders_are_the_same_in_both_languages() {
        let pairs = [
            (SV.since, EN.since),
            (SV.heatmap_intro, EN.heatmap_intro),
            (SV.coverage_of, EN.coverage_of),
            (SV.audit, EN.audit),
            (SV.demand_intro, EN.demand_intro),
            (SV.demand_caption, EN.demand_caption),
            (SV.demand_withheld, EN.demand_withheld),
            (SV.maturity_intro, EN.maturity_intro),
            (SV.by_role, EN.by_role),
            (SV.change_since, EN.change_since),
            (SV.maturity_units_caption, EN.maturity_units_caption),
            (SV.change_intro, EN.change_intro),
            (SV.movements, EN.movements),
            (SV.readiness_def, EN.readiness_def),
            (SV.omitted, EN.omitted),
            (SV.demo_origin, EN.demo_origin),
            (SV.generated_by, EN.generated_by),
            (SV.need_n, EN.need_n),
        ];
        let holes = |s: &str| {
            let mut v: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|x| x.split('}').next())
                .map(String::from)
                .collect();
            v.sort();
            v
        };
        for (sv, en) in pairs {
            assert_eq!(holes(sv), holes(en), "{sv:?} / {en:?}");
        }
        for (sv, en) in SV.method.iter().zip(EN.method) {
            assert_eq!(holes(sv), holes(en));
        }
    }
}
