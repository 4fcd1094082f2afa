//! The CLI's error: a stable code, a location and a message, printed as
//! `error[code] at location: message` on stderr.

use std::fmt;

/// Exit code for bad input (unreadable or invalid files and arguments).
pub const EXIT_BAD_INPUT: i32 = 2;
/// Exit code when shared vectors fail.
pub const EXIT_FAILED: i32 = 1;

/// An error of the command-line tool.
#[derive(Debug, Clone, PartialEq)]
pub struct CliError {
    /// Stable code: a [`kompetens::Error::code`], or `io_error`,
    /// `vector_file`, `vectors_failed`.
    pub code: String,
    /// Where: file, then the location inside it.
    pub location: String,
    /// What went wrong.
    pub message: String,
    /// The process exit code.
    pub exit: i32,
}

impl CliError {
    /// A bad-input error.
    pub fn new(code: &str, location: impl Into<String>, message: impl Into<String>) -> CliError {
        CliError {
            code: code.to_string(),
            location: location.into(),
            message: message.into(),
            exit: EXIT_BAD_INPUT,
        }
    }

    /// A file could not be read.
    pub fn io(path: &str, err: &std::io::Error) -> CliError {
        CliError::new("io_error", path, format!("cannot read the file: {err}"))
    }

    /// A core error found in `context` (a file name or argument); the
    /// location becomes `context, location` (just `--policy` when the core
    /// says `policy` about the `--policy` argument).
    pub fn core(err: &kompetens::Error, context: &str) -> CliError {
        let loc = err.location();
        let mut message = err.to_string();
        // The core's messages often repeat the location; say it once.
        if !loc.is_empty() {
            message = message.replacen(&format!(" at {loc}"), "", 1);
            if let Some(rest) = message.strip_prefix(&format!("{loc}: ")) {
                message = rest.to_string();
            }
        }
        let same = context.trim_start_matches('-') == loc;
        let location = match (context.is_empty(), loc.is_empty() || loc == "$" || same) {
            (true, _) => loc,
            (false, true) => context.to_string(),
            (false, false) => format!("{context}, {loc}"),
        };
        CliError {
            code: err.code().to_string(),
            location,
            message,
            exit: EXIT_BAD_INPUT,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            write!(f, "error[{}]: {}", self.code, self.message)
        } else {
            write!(
                f,
                "error[{}] at {}: {}",
                self.code, self.location, self.message
            )
        }
    }
}

impl std::error::Error for CliError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_errors_say_the_location_once() {
        let e = kompetens::Error::Csv {
            location: "line 3, column \"level\"".into(),
            message: "\"x\" is not an integer level".into(),
        };
        assert_eq!(
            CliError::core(&e, "a.csv").to_string(),
            "error[csv_error] at a.csv, line 3, column \"level\": CSV error: \"x\" is not an integer level"
        );
        let e = kompetens::Error::UnknownCompetence {
            location: "ratings[0].competence".into(),
            id: "9.9".into(),
            framework: "digcomp-2.2".into(),
        };
        assert_eq!(
            CliError::core(&e, "").to_string(),
            "error[unknown_competence] at ratings[0].competence: competence \"9.9\" is not in framework \"digcomp-2.2\""
        );
    }
}
