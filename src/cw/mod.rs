//! The ConnectWise Manage API client. Knows nothing about the UI.
