//! Standard output for the commands: a reader that stops early (`awskb asl run … | head`) ends
//! the process quietly with success, as ripgrep does, instead of the panic of `println!`.

use std::fmt;
use std::io::{ErrorKind, Write};

/// `println!` to standard output; see the module.
macro_rules! outln {
    () => {
        $crate::cmd::stdout::write(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::cmd::stdout::write(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` to standard output; see the module.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cmd::stdout::write(format_args!($($arg)*))
    };
}

pub(crate) use {out, outln};

/// Writes `args`; a closed pipe exits with 0, any other failure with 2 after saying why.
pub fn write(args: fmt::Arguments) {
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = stdout.write_fmt(args) {
        if error.kind() == ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to standard output: {error}");
        std::process::exit(2);
    }
}
