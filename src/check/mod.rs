//! The staged verification shared by the wizard and `cwsetup check`.

mod model;
pub use model::*;
