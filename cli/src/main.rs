//! The `kompetens` command-line tool: `demo`, `gaps`, `report`, `vectors`,
//! `schema`.
//!
//! Errors go to stderr as `error[code] at location: message`, with exit
//! code 2 for bad input and 1 for failed vectors.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use kompetens_cli::commands::{run, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let output = run(cli);
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`kompetens demo | head`) is not an error worth a panic.
    let _ = stdout.write_all(output.stdout.as_bytes());
    let _ = stdout.flush();
    match output.error {
        None => ExitCode::SUCCESS,
        Some(e) => {
            let _ = writeln!(std::io::stderr(), "{e}");
            ExitCode::from(u8::try_from(e.exit).unwrap_or(2))
        }
    }
}
