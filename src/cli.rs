//! The command line: arguments, modes and exit codes.
