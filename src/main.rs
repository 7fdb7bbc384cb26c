//! The `cwsetup` binary: everything lives in the library; this only hands over the arguments.

/// Freed heap memory is wiped, so copies of a key that cwsetup does not track (temporaries in
/// dependencies, blocks left behind by a growing buffer) do not outlive their use.
#[global_allocator]
static ALLOC: cwsetup::zeroizing_alloc::ZeroizingAlloc = cwsetup::zeroizing_alloc::SYSTEM;

fn main() -> std::process::ExitCode {
    cwsetup::cli::main()
}
