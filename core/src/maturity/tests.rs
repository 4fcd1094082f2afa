use super::*;
use serde_json::json;

#[test]
fn smoke() {
    let m = MaturityModel::builtin("dimios").unwrap();
    let d = MaturityModel::builtin("edih-dma-pso").unwrap();
    println!("{}", serde_json::to_string(&m.instrument()).unwrap().len());
    let _ = d;
    let items: Vec<String> = m.items().iter().map(|i| i.item.id.clone()).collect();
    let rows: Vec<Vec<f64>> = (0..6)
        .map(|r| (0..items.len()).map(|j| ((r + j) % 6 + 1) as f64).collect())
        .collect();
    let out = crate::api::call("maturity.score", json!({"model": "dimios", "responses": {"items": items, "rows": rows, "units": ["a","a","a","b","b","b"]}, "settings": {"min_respondents": 3}})).unwrap();
    println!("{}", serde_json::to_string_pretty(&out).unwrap());
}
