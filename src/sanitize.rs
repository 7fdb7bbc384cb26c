//! Sanitizing what technicians paste: keys, IDs and sites.
