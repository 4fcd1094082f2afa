//! Every fixed word of the HTML report, in Swedish and English: one table,
//! two rows. Placeholders in braces (`{min}`, `{n}`, …) are filled in by
//! the renderer; data strings are never part of these templates.

/// The fixed wording of the report in one language.
#[derive(Debug)]
pub struct Words {
    /// Language tag for `<html lang>` and for [`kompetens::Text::get`].
    pub tag: &'static str,
    /// Document title and heading.
    pub title: &'static str,
    /// Heading of the table of contents.
    pub contents: &'static str,
    /// Origin line of the demo: `{seed}`.
    pub demo_origin: &'static str,
    /// Origin line for real files.
    pub files_origin: &'static str,
    /// Footer: `{version}`.
    pub generated_by: &'static str,
    /// Shown in a section whose input was not given: `{what}`.
    pub omitted: &'static str,
    /// What the competence sections need.
    pub needs_assessments: &'static str,
    /// What the wave comparison needs.
    pub needs_two_waves: &'static str,
    /// What the maturity section needs.
    pub needs_dimios: &'static str,
    /// What the maturity change needs.
    pub needs_dimios_previous: &'static str,

    // Section headings.
    /// Section: overview.
    pub h_overview: &'static str,
    /// Section: heatmap.
    pub h_heatmap: &'static str,
    /// Section: top needs.
    pub h_needs: &'static str,
    /// Section: training demand.
    pub h_demand: &'static str,
    /// Section: DiMiOS.
    pub h_maturity: &'static str,
    /// Section: change between waves.
    pub h_change: &'static str,
    /// Section: about the figures.
    pub h_method: &'static str,

    // Overview.
    /// Label: framework.
    pub framework: &'static str,
    /// Label: wave.
    pub wave: &'static str,
    /// Label: compared with wave.
    pub compared_with: &'static str,
    /// Label: policy.
    pub policy: &'static str,
    /// Explanation of the default policy.
    pub policy_note: &'static str,
    /// Label: smallest group shown.
    pub min_group: &'static str,
    /// Key figure: employees.
    pub k_people: &'static str,
    /// Key figure: units.
    pub k_units: &'static str,
    /// Key figure: people without ratings.
    pub k_without: &'static str,
    /// Key figure: mean readiness.
    pub k_readiness: &'static str,
    /// Key figure: DiMiOS overall.
    pub k_maturity: &'static str,
    /// Key figure: DiMiOS respondents.
    pub k_respondents: &'static str,
    /// Key figure: DiMiOS type.
    pub k_type: &'static str,
    /// Sub-line of a key figure: `{before}` → now, wave `{wave}`.
    pub since: &'static str,
    /// Caption of the readiness table.
    pub readiness_caption: &'static str,
    /// Column: unit.
    pub unit: &'static str,
    /// Column: people.
    pub people: &'static str,
    /// Column: without ratings.
    pub no_ratings: &'static str,
    /// Column: readiness.
    pub readiness: &'static str,
    /// Definition of readiness.
    pub readiness_def: &'static str,

    // Heatmap.
    /// Introduction of the heatmap.
    pub heatmap_intro: &'static str,
    /// Figure caption of the heatmap.
    pub heatmap_caption: &'static str,
    /// Summary of the data-table disclosure.
    pub show_table: &'static str,
    /// Caption of the heatmap's data table.
    pub heatmap_table_caption: &'static str,
    /// A withheld cell.
    pub withheld: &'static str,
    /// A cell where nobody is counted.
    pub not_counted: &'static str,

    // Top needs.
    /// Introduction of the needs table.
    pub needs_intro: &'static str,
    /// Caption of the needs table.
    pub needs_caption: &'static str,
    /// Column: need n.
    pub need_n: &'static str,
    /// Column: withheld cells.
    pub withheld_cells: &'static str,
    /// Coverage of a need: `{coverage}` of `{n}` people.
    pub coverage_of: &'static str,
    /// Audit sentence: `{cells}`, `{withheld}`, `{primary}`, `{secondary}`, `{found}`.
    pub audit: &'static str,

    // Training demand.
    /// Introduction of the demand list.
    pub demand_intro: &'static str,
    /// Caption of the demand table: at most `{n}` lines.
    pub demand_caption: &'static str,
    /// Column: competence.
    pub competence: &'static str,
    /// Column: target level.
    pub target_level: &'static str,
    /// Column: below target.
    pub below_target: &'static str,
    /// Column: group with this requirement.
    pub group: &'static str,
    /// Column: share below.
    pub share_below: &'static str,
    /// Column: units with someone below.
    pub units_below: &'static str,
    /// Note on withheld demand lines: `{n}`.
    pub demand_withheld: &'static str,

    // Maturity.
    /// Introduction: `{model}`, `{year}`, `{n}` respondents.
    pub maturity_intro: &'static str,
    /// Instrument line: `{name}`.
    pub instrument: &'static str,
    /// The example-instrument warning.
    pub example_instrument: &'static str,
    /// Respondents by role (demo): `{managers}`, `{strategists}`, `{developers}`.
    pub by_role: &'static str,
    /// Caption of the quadrant.
    pub quadrant_caption: &'static str,
    /// Caption of the spider chart.
    pub spider_caption: &'static str,
    /// Heading: relative weaknesses.
    pub weaknesses: &'static str,
    /// Caption of the levels table.
    pub levels_caption: &'static str,
    /// Column: overall.
    pub overall: &'static str,
    /// Column: change since `{year}`.
    pub change_since: &'static str,
    /// Caption of the units table: `{min}`.
    pub maturity_units_caption: &'static str,
    /// Column: respondents.
    pub respondents: &'static str,
    /// Column: type.
    pub type_: &'static str,
    /// Column: weakest category.
    pub weakest: &'static str,
    /// Definition of the maturity figures.
    pub maturity_def: &'static str,

    // Change.
    /// Introduction: `{before}`, `{after}`, `{people}`, `{min}`.
    pub change_intro: &'static str,
    /// Caption of the change chart (competence).
    pub change_caption: &'static str,
    /// Caption of the DiMiOS change chart.
    pub maturity_change_caption: &'static str,
    /// Caption of the competence change table.
    pub change_table_caption: &'static str,
    /// Column: mean before.
    pub mean_before: &'static str,
    /// Column: mean after.
    pub mean_after: &'static str,
    /// Column: mean change.
    pub mean_change: &'static str,
    /// Column: improved.
    pub improved: &'static str,
    /// Column: unchanged.
    pub unchanged: &'static str,
    /// Column: declined.
    pub declined: &'static str,
    /// Column: paired.
    pub paired: &'static str,
    /// Column: Wilcoxon p.
    pub p_value: &'static str,
    /// Caption of the unit change table.
    pub change_units_caption: &'static str,
    /// Joiners and leavers: `{joined}`, `{left}`.
    pub movements: &'static str,

    // Method.
    /// Paragraphs about the figures and their protection: `{min}`.
    pub method: [&'static str; 5],
}

/// Swedish.
pub const SV: Words = Words {
    tag: "sv",
    title: "Digital kompetens och mognad",
    contents: "Innehåll",
    demo_origin: "Syntetiska data från kompetens-demon (frö {seed}); inga verkliga personer.",
    files_origin: "Underlag:",
    generated_by: "Skapad med kompetens {version}. Rapporten är en fristående fil utan skript och utan externa resurser.",
    omitted: "Avsnittet utelämnas: {what}.",
    needs_assessments: "inga kompetensskattningar angavs (--assessments med --profiles och --units)",
    needs_two_waves: "underlaget har bara en mätomgång",
    needs_dimios: "inga DiMiOS-svar angavs (--dimios)",
    needs_dimios_previous: "ingen tidigare DiMiOS-mätning angavs (--dimios-previous)",
    h_overview: "Översikt",
    h_heatmap: "Kompetenstäckning per enhet",
    h_needs: "Största kompetensbehov per enhet",
    h_demand: "Utbildningsbehov",
    h_maturity: "Digital mognad (DiMiOS)",
    h_change: "Förändring mellan mätomgångarna",
    h_method: "Om siffrorna",
    framework: "Ramverk",
    wave: "Mätomgång",
    compared_with: "Jämförs med",
    policy: "Bedömningsregel",
    policy_note: "chefens bedömning (medarbetarsamtal) om den finns, annars självskattningen",
    min_group: "Minsta redovisade grupp",
    k_people: "Medarbetare",
    k_units: "Enheter",
    k_without: "Utan skattning",
    k_readiness: "Måluppfyllelse",
    k_maturity: "Digital mognad",
    k_respondents: "DiMiOS-respondenter",
    k_type: "Mognadstyp",
    since: "{before} mätomgången innan",
    readiness_caption: "Medarbetare, skattningar och genomsnittlig måluppfyllelse per enhet (summerat med underenheter)",
    unit: "Enhet",
    people: "Medarbetare",
    no_ratings: "Utan skattning",
    readiness: "Måluppfyllelse",
    readiness_def: "Måluppfyllelse = viktad andel av personens skattade krav som uppfylls, medelvärde över personer med skattningar. Saknade skattningar räknas aldrig som 0. Har någon enhet färre än {min} personer med skattningar redovisas måluppfyllelsen bara för hela organisationen, så att ingen enhets värde kan räknas fram ur de andras.",
    heatmap_intro: "Täckning = andel av de räknade medarbetarna som når rollens kravnivå i kompetensen. Räknade är de vars roll kräver kompetensen och som har en skattning. Grupper under {min} personer redovisas inte (streckade), och några celler till döljs så att ingen dold cell kan räknas fram ur summorna.",
    heatmap_caption: "Täckning per enhet och kompetens, summerat med underenheter. Streckade celler redovisas inte; ”saknas” betyder att ingen räknas.",
    show_table: "Visa siffrorna som tabell",
    heatmap_table_caption: "Täckning per enhet och kompetens (procent av räknade medarbetare)",
    withheld: "ej redovisad",
    not_counted: "ingen räknad",
    needs_intro: "De tre största behoven per enhet, rangordnade efter viktat behov Σ vikt × max(0, krav − nuvarande nivå) med vikterna kritisk 3, viktig 2, användbar 1. Endast redovisade celler rangordnas.",
    needs_caption: "Största kompetensbehov per enhet (summerat med underenheter)",
    need_n: "Behov {n}",
    withheld_cells: "Ej redovisade celler",
    coverage_of: "täckning {coverage} av {n}",
    audit: "Granskning av den publicerade tabellen: {cells} celler, {withheld} ej redovisade ({primary} primära, {secondary} sekundära); celler som kan räknas fram genom differenser: {found}.",
    demand_intro: "Medarbetare under rollens kravnivå, per kompetens och kravnivå, störst först. Ett underlag för att planera utbildning; grupper under {min} personer redovisas inte.",
    demand_caption: "Utbildningsbehov, störst först (högst {n} rader)",
    competence: "Kompetens",
    target_level: "Kravnivå",
    below_target: "Under kravnivå",
    group: "Med kravet",
    share_below: "Andel under",
    units_below: "Enheter",
    demand_withheld: "Rader som inte redovisas (för få personer): {n}.",
    maturity_intro: "{model} {year}: {n} respondenter.",
    instrument: "Enkät: {name}.",
    example_instrument: "Påståendena är exempel, skrivna för att visa hur beräkningen fungerar.",
    by_role: "Chefer {managers}, strateger {strategists}, utvecklare {developers}, utvalda av en nyckelanvändare.",
    quadrant_caption: "Organisationens placering efter digital förmåga och digitalt arv (gränser vid 50 %).",
    spider_caption: "Procent av optimala förutsättningar per kategori.",
    weaknesses: "Relativa svagheter – de tre lägsta kategorierna, visas även vid hög mognad",
    levels_caption: "Total mognad, dimensioner och kategorier",
    overall: "Total mognad",
    change_since: "Förändring sedan {year}",
    maturity_units_caption: "Per enhet, summerat med underenheter (enheter med färre än {min} respondenter redovisas inte)",
    respondents: "Respondenter",
    type_: "Typ",
    weakest: "Svagaste kategori",
    maturity_def: "Svar 1–6 räknas om till (x − 1)/5 (skugg-IT och teknisk skuld omvänt kodade), medelvärde per påstående, lika vikter upp till kategorier och dimensioner; total mognad = medelvärdet av de två dimensionerna; typ = kvadrant av (digital förmåga, digitalt arv).",
    change_intro: "{before} → {after}: medarbetare som finns i båda mätomgångarna ({people}), kompetenser skattade båda gångerna. Grupper under {min} redovisas inte.",
    change_caption: "Genomsnittlig nivå per kompetensområde, före och efter.",
    maturity_change_caption: "Digital mognad per kategori, föregående och senaste mätningen.",
    change_table_caption: "Förändring per kompetens för hela organisationen",
    mean_before: "Medel före",
    mean_after: "Medel efter",
    mean_change: "Förändring",
    improved: "Förbättrade",
    unchanged: "Oförändrade",
    declined: "Försämrade",
    paired: "Parade skattningar",
    p_value: "p (Wilcoxon)",
    change_units_caption: "Andel förbättrade, oförändrade och försämrade skattningar per enhet (över redovisade celler)",
    movements: "Nya medarbetare: {joined}. Slutat: {left}. De räknas separat och ingår inte i förändringen.",
    method: [
        "Alla siffror räknas av kompetens-biblioteket; rapporten bara visar dem. Samma data ger samma rapport, tecken för tecken.",
        "Kompetenser enligt ramverket ovan; varje roll (yrkesroll) har en kravnivå och en vikt per kompetens. När en medarbetare har flera skattningar av samma kompetens avgör bedömningsregeln vilken som gäller – aldrig ett medelvärde.",
        "Skydd av små grupper: en cell med färre än {min} räknade personer redovisas inte (primär). Fler celler döljs (sekundär) så att ingen dold cell kan räknas fram genom att dra redovisade celler från en redovisad summa; en oberoende granskning kontrollerar detta.",
        "Förändring mellan mätomgångar jämför samma personers skattningar; p-värdet är från Wilcoxons teckenrangtest (tvåsidigt) och d_z = medelförändring / standardavvikelse.",
        "DiMiOS (Digital mognad i offentlig sektor) mäter digital förmåga och digitalt arv; de tre lägsta kategorierna visas alltid som relativa svagheter.",
    ],
};

/// English.
pub const EN: Words = Words {
    tag: "en",
    title: "Digital competence and maturity",
    contents: "Contents",
    demo_origin: "Synthetic data from the kompetens demo (seed {seed}); no real people.",
    files_origin: "Input:",
    generated_by: "Made with kompetens {version}. The report is a self-contained file without scripts or external resources.",
    omitted: "Section omitted: {what}.",
    needs_assessments: "no competence ratings were given (--assessments with --profiles and --units)",
    needs_two_waves: "the input has only one wave",
    needs_dimios: "no DiMiOS responses were given (--dimios)",
    needs_dimios_previous: "no earlier DiMiOS measurement was given (--dimios-previous)",
    h_overview: "Overview",
    h_heatmap: "Competence coverage by unit",
    h_needs: "Largest competence needs by unit",
    h_demand: "Training demand",
    h_maturity: "Digital maturity (DiMiOS)",
    h_change: "Change between waves",
    h_method: "About the figures",
    framework: "Framework",
    wave: "Wave",
    compared_with: "Compared with",
    policy: "Rating policy",
    policy_note: "the manager's rating (appraisal talk) where there is one, else the self-rating",
    min_group: "Smallest group shown",
    k_people: "Employees",
    k_units: "Units",
    k_without: "Without ratings",
    k_readiness: "Readiness",
    k_maturity: "Digital maturity",
    k_respondents: "DiMiOS respondents",
    k_type: "Maturity type",
    since: "{before} the wave before",
    readiness_caption: "Employees, ratings and mean readiness by unit (with sub-units)",
    unit: "Unit",
    people: "Employees",
    no_ratings: "Without ratings",
    readiness: "Readiness",
    readiness_def: "Readiness = weighted share of a person's rated requirements that are met, mean over people with ratings. Missing ratings are never counted as 0. When some unit has fewer than {min} people with ratings, readiness is shown for the whole organisation only, so that no unit's value can be recovered from the others.",
    heatmap_intro: "Coverage = share of the people counted who reach their role's required level in the competence. Counted are those whose role requires the competence and who have a rating. Groups under {min} people are withheld (hatched), and a few more cells are hidden so that no withheld cell can be recovered from the totals.",
    heatmap_caption: "Coverage by unit and competence, with sub-units. Hatched cells are withheld; “n/a” means nobody is counted.",
    show_table: "Show the figures as a table",
    heatmap_table_caption: "Coverage by unit and competence (percent of the people counted)",
    withheld: "withheld",
    not_counted: "nobody counted",
    needs_intro: "The three largest needs of each unit, ranked by weighted need Σ weight × max(0, required − current level) with weights critical 3, important 2, useful 1. Only published cells are ranked.",
    needs_caption: "Largest competence needs by unit (with sub-units)",
    need_n: "Need {n}",
    withheld_cells: "Withheld cells",
    coverage_of: "coverage {coverage} of {n}",
    audit: "Audit of the published table: {cells} cells, {withheld} withheld ({primary} primary, {secondary} secondary); cells that can be recovered by differencing: {found}.",
    demand_intro: "People below their role's required level, by competence and required level, largest first. A basis for planning training; groups under {min} people are withheld.",
    demand_caption: "Training demand, largest first (at most {n} lines)",
    competence: "Competence",
    target_level: "Required level",
    below_target: "Below",
    group: "With the requirement",
    share_below: "Share below",
    units_below: "Units",
    demand_withheld: "Lines withheld (too few people): {n}.",
    maturity_intro: "{model} {year}: {n} respondents.",
    instrument: "Instrument: {name}.",
    example_instrument: "The statements are examples, written to show how the scoring works.",
    by_role: "Managers {managers}, strategists {strategists}, developers {developers}, chosen by a key user.",
    quadrant_caption: "The organisation placed by digital capability and digital legacy (cuts at 50%).",
    spider_caption: "Percent of optimal conditions by category.",
    weaknesses: "Relative weaknesses – the three lowest categories, shown even when maturity is high",
    levels_caption: "Overall maturity, dimensions and categories",
    overall: "Overall",
    change_since: "Change since {year}",
    maturity_units_caption: "By unit, with sub-units (units with fewer than {min} respondents are withheld)",
    respondents: "Respondents",
    type_: "Type",
    weakest: "Weakest category",
    maturity_def: "Answers 1–6 are rescaled to (x − 1)/5 (shadow IT and technical debt reverse keyed), mean per statement, equal weights up to categories and dimensions; overall = mean of the two dimensions; type = quadrant of (digital capability, digital legacy).",
    change_intro: "{before} → {after}: people in both waves ({people}), competences rated both times. Groups under {min} are withheld.",
    change_caption: "Mean level by competence area, before and after.",
    maturity_change_caption: "Digital maturity by category, previous and latest measurement.",
    change_table_caption: "Change by competence for the whole organisation",
    mean_before: "Mean before",
    mean_after: "Mean after",
    mean_change: "Change",
    improved: "Improved",
    unchanged: "Unchanged",
    declined: "Declined",
    paired: "Paired ratings",
    p_value: "p (Wilcoxon)",
    change_units_caption: "Share of ratings improved, unchanged and declined by unit (over published cells)",
    movements: "Joined: {joined}. Left: {left}. They are counted separately, not in the change.",
    method: [
        "Every figure is computed by the kompetens library; the report only shows them. The same data give the same report, character for character.",
        "Competences follow the framework above; each role has a required level and a weight per competence. When a person has several ratings of one competence, the rating policy decides which one counts – never an average.",
        "Small groups are protected: a cell with fewer than {min} people counted is withheld (primary). More cells are hidden (secondary) so that no withheld cell can be recovered by subtracting published cells from a published total; an independent audit checks this.",
        "Change between waves compares the same people's ratings; p is from the Wilcoxon signed-rank test (two-sided) and d_z = mean change / standard deviation.",
        "DiMiOS (digital maturity in the public sector) measures digital capability and digital legacy; the three lowest categories are always shown as relative weaknesses.",
    ],
};
