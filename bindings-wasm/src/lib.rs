//! WebAssembly bindings of kompetens.
use wasm_bindgen::prelude::*;

/// Library version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
