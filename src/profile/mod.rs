//! Vendor profiles: setup guides as data, embedded from `assets/profiles`.

mod model;
pub use model::*;
