//! Masking of identifiers for views and logs. Showing a value in full is a separate right
//! (see `Right::ViewFullPersonalData`) and is audited by the app layer.

/// Keep the first `head` and last `tail` characters, replace the rest with `*`.
/// Values too short to hide anything are masked completely.
pub fn mask_middle(value: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = value.chars().collect();
    // Saturating: absurd `head`/`tail` values hide everything instead of overflowing.
    if chars.len() <= head.saturating_add(tail) {
        return "*".repeat(chars.len());
    }
    let mut out = String::with_capacity(value.len());
    out.extend(&chars[..head]);
    out.extend(std::iter::repeat_n('*', chars.len() - head - tail));
    out.extend(&chars[chars.len() - tail..]);
    out
}

/// `330402199001011234` → `330402********1234`: division code and last four stay visible.
pub fn mask_id_number(value: &str) -> String {
    mask_middle(value, 6, 4)
}

/// `13812345678` → `138****5678`.
pub fn mask_phone(value: &str) -> String {
    mask_middle(value, 3, 4)
}

/// `张三丰` → `张**`: only the surname stays visible.
pub fn mask_name(value: &str) -> String {
    let mut chars = value.chars();
    match chars.next() {
        Some(first) => {
            let rest = chars.count();
            let mut out = String::new();
            out.push(first);
            out.extend(std::iter::repeat_n('*', rest.max(1)));
            out
        }
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_number_keeps_division_and_last_four() {
        assert_eq!(mask_id_number("330402199001011234"), "330402********1234");
    }

    #[test]
    fn phone_keeps_prefix_and_last_four() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
    }

    #[test]
    fn short_values_are_hidden_completely() {
        assert_eq!(mask_middle("12345", 3, 4), "*****");
    }

    #[test]
    fn name_keeps_surname() {
        assert_eq!(mask_name("张三丰"), "张**");
        assert_eq!(mask_name("李"), "李*");
    }
}
