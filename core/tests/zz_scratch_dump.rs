use kompetens::demo::{DemoOrganisation, DEMO_POLICY};
#[test]
fn dump() {
    let org = DemoOrganisation::generate().unwrap();
    let policy = DEMO_POLICY.parse().unwrap();
    let needs = org.needs("2026", &policy, 3).unwrap();
    let s = serde_json::to_string(&needs.publication).unwrap();
    std::fs::write("/tmp/haudit/demo_pub.json", s).unwrap();
    let l = org.aggregate_layout().unwrap();
    let t: Vec<(String, Option<String>)> = (0..l.tree.len()).map(|u| (l.tree.id(u).to_string(), l.tree.parent(u).map(|p| l.tree.id(p).to_string()))).collect();
    std::fs::write("/tmp/haudit/demo_tree.json", serde_json::to_string(&t).unwrap()).unwrap();
}
#[test]
fn demo_audit() {
    let org = DemoOrganisation::generate().unwrap();
    let policy = DEMO_POLICY.parse().unwrap();
    let t = std::time::Instant::now();
    let needs = org.needs("2026", &policy, 3).unwrap();
    let a = &needs.audit;
    eprintln!("{:?} cells {} withheld {} primary {} secondary {} findings {} sizes {} complete {}", t.elapsed(), a.cells, a.withheld, a.primary, a.secondary, a.findings.len(), a.size_findings.len(), a.complete);
}
