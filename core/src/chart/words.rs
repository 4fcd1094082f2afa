//! All fixed wording of the charts, in English and Swedish.

use super::Lang;

/// A fixed text of the charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Word {
    RadarTitle,
    HeatmapTitle,
    QuadrantTitle,
    SpiderTitle,
    ChangeTitle,
    Current,
    Required,
    Peer,
    Other,
    Organisation,
    #[cfg_attr(not(feature = "maturity"), allow(dead_code))]
    PeerAverage,
    Before,
    After,
    Change,
    Coverage,
    MeanShortfall,
    MoreNeed,
    LessNeed,
    Withheld,
    WithheldPrimary,
    WithheldSecondary,
    WithheldRolledUp,
    Missing,
    MissingShort,
    People,
    Scale,
    Axes,
    Rows,
    Columns,
    Cut,
    PercentagePoints,
}

/// The text of `w` in `lang`.
pub(crate) fn word(w: Word, lang: Lang) -> &'static str {
    use Word::*;
    let (en, sv) = match w {
        RadarTitle => ("Competence radar", "Kompetensradar"),
        HeatmapTitle => ("Competence gaps by unit", "Kompetensgap per enhet"),
        QuadrantTitle => ("Maturity type", "Mognadstyp"),
        SpiderTitle => ("Maturity by category", "Mognad per kategori"),
        ChangeTitle => (
            "Change between two measurements",
            "Förändring mellan två mätningar",
        ),
        Current => ("Current level", "Nuvarande nivå"),
        Required => ("Required level", "Kravnivå"),
        Peer => ("Peers", "Jämförelse"),
        Other => ("Other", "Övrigt"),
        Organisation => ("Organisation", "Organisationen"),
        PeerAverage => ("Peer average", "Snitt för jämförbara"),
        Before => ("Before", "Före"),
        After => ("After", "Efter"),
        Change => ("Change", "Förändring"),
        Coverage => ("Coverage", "Täckning"),
        MeanShortfall => ("Mean shortfall (levels)", "Genomsnittligt gap (nivåer)"),
        MoreNeed => ("more need", "större behov"),
        LessNeed => ("less need", "mindre behov"),
        Withheld => ("withheld", "skyddad"),
        WithheldPrimary => ("withheld: group too small", "skyddad: för liten grupp"),
        WithheldSecondary => (
            "withheld: protects another cell",
            "skyddad: skyddar en annan cell",
        ),
        WithheldRolledUp => ("counted in the parent unit", "räknas i överordnad enhet"),
        Missing => ("no data", "uppgift saknas"),
        MissingShort => ("n/a", "saknas"),
        People => ("people", "personer"),
        Scale => ("scale", "skala"),
        Axes => ("axes", "axlar"),
        Rows => ("rows", "rader"),
        Columns => ("columns", "kolumner"),
        Cut => ("cut", "gräns"),
        PercentagePoints => ("pp", "p.e."),
    };
    match lang {
        Lang::En => en,
        Lang::Sv => sv,
    }
}
