//! The `kompetens` command-line tool.
fn main() {
    println!("kompetens {}", env!("CARGO_PKG_VERSION"));
}
