//! Shared by every command: reading files, printing a table or one JSON document, errors with
//! their exit codes, the progress spinner and the progress bar of Monte Carlo runs.

use std::fmt::Display;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use offergraph::Scenario;
use offergraph::uncertainty::{MonteCarlo, Progress};
use serde::Serialize;

/// Why a command failed: the message (naming the file) and, for a value in a plan file, the
/// JSON pointer of its field.
#[derive(Debug)]
pub struct Failure {
    message: String,
    pointer: Option<String>,
    code: u8,
}

impl Failure {
    /// Invalid input or an infeasible problem: exit code 1.
    pub fn input(message: impl Display) -> Failure {
        Failure { message: message.to_string(), pointer: None, code: 1 }
    }

    /// A usage error found after parsing (a malformed selector): exit code 2.
    pub fn usage(message: impl Display) -> Failure {
        Failure { message: message.to_string(), pointer: None, code: 2 }
    }

    /// With the JSON pointer of the field at fault.
    pub fn at(self, pointer: Option<String>) -> Failure {
        Failure { pointer, ..self }
    }

    /// Prints the error on stderr and gives the exit code.
    pub fn exit(self) -> ExitCode {
        eprintln!("error: {}", self.message);
        if let Some(p) = self.pointer {
            eprintln!("  at field {p}");
        }
        if self.code == 2 {
            eprintln!("\nFor more information, try '--help'.");
        }
        ExitCode::from(self.code)
    }
}

/// `path: error`, exit code 1.
pub fn in_file(path: &Path, e: impl Display) -> Failure {
    Failure::input(format!("{}: {e}", path.display()))
}

/// The text of a file.
pub fn read(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| Failure::input(format!("cannot read {}: {e}", path.display())))
}

/// A plan file as a scenario; errors name the file, the line and column of a syntax error, and
/// the JSON pointer of an invalid value.
pub fn scenario(path: &Path) -> Result<Scenario, Failure> {
    let text = read(path)?;
    Scenario::from_json(&text).map_err(|e| {
        let pointer = e.pointer(&text);
        in_file(path, e).at(pointer)
    })
}

/// Writes a scenario as a plan file.
pub fn save(scenario: &Scenario, path: &Path) -> Result<(), Failure> {
    scenario.save(path).map_err(Failure::input)
}

/// Where a command's answer goes: a table or one JSON document on stdout.
#[derive(Debug)]
pub struct Out {
    json: bool,
}

impl Out {
    pub fn new(json: bool) -> Out {
        Out { json }
    }

    /// `true` with `--json`.
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// Prints `data` as JSON with `--json`, else the table `table()` gives.
    pub fn print<T: Serialize>(&self, data: &T, table: impl FnOnce() -> String) -> Result<(), Failure> {
        if self.json {
            let mut text = serde_json::to_string_pretty(data).map_err(Failure::input)?;
            text.push('\n');
            emit(&text)
        } else {
            emit(&table())
        }
    }
}

/// Writes `text` to stdout; a reader that went away (`| head`) ends the output quietly, where
/// `print!` would panic.
pub fn emit(text: &str) -> Result<(), Failure> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::input(format!("cannot write the output: {e}")))
        }
        _ => Ok(()),
    }
}

/// Runs `work` with a spinner on stderr when stderr is a terminal (long runs: Monte Carlo,
/// optimisation); silent otherwise, so pipes and logs stay clean.
pub fn with_spinner<T>(message: &str, work: impl FnOnce() -> T) -> T {
    if !std::io::stderr().is_terminal() {
        return work();
    }
    let bar = indicatif::ProgressBar::new_spinner().with_message(message.to_owned());
    bar.enable_steady_tick(Duration::from_millis(120));
    let out = work();
    bar.finish_and_clear();
    out
}

/// Runs a Monte Carlo `work` with a progress bar of its draws on stderr when stderr is a
/// terminal (`work` gets `options` with the bar as their observer); silent otherwise, and then
/// `work` gets `options` as they are.
pub fn with_draws_bar<T>(message: &str, options: MonteCarlo, work: impl FnOnce(MonteCarlo) -> T) -> T {
    if !std::io::stderr().is_terminal() {
        return work(options);
    }
    let style = indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} draws ({eta})")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    let bar = indicatif::ProgressBar::new(options.draws() as u64)
        .with_style(style)
        .with_message(message.to_owned());
    bar.enable_steady_tick(Duration::from_millis(120));
    let observer = bar.clone();
    // The options are `Copy`, so their observer is borrowed for the program's life: one small
    // box per run of the command, which ends with it.
    let progress: &'static dyn Progress = Box::leak(Box::new(move |draws: usize| observer.inc(draws as u64)));
    let out = work(options.with_progress(progress));
    bar.finish_and_clear();
    out
}
