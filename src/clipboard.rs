//! Copying values to the clipboard, trimmed, with auto-clear for secrets.
