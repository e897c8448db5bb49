//! Texts of the risk-area list.

use super::Text;

pub const TEXTS: &[Text] = &[];
