//! Texts of checkpoints and gates, scans, cases and contact tracing.

use super::Text;

pub const TEXTS: &[Text] = &[];
