//! The `framelens` command line: parse, run, print errors, exit 0 / 1 (error) / 2 (usage).

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if cli::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("framelens: error: {err:#}");
            ExitCode::from(1)
        }
    }
}
