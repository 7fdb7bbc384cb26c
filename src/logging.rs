//! Logs (tracing) to a file in the platform state directory, off unless asked for.
