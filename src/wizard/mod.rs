//! The terminal wizard. Knows nothing about HTTP: it drives [`crate::check`].
