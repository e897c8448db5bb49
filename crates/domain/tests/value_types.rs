//! Property tests for the value types: every valid value parses and round-trips, every single
//! changed character is refused, and no input at all makes a parser or a mask panic.

use chrono::{Days, NaiveDate};
use domain::mask::{mask_id_number, mask_middle, mask_name, mask_phone};
use domain::{CreditCode, Phone, ResidentId, credit_code, resident_id};
use proptest::prelude::*;

/// Real county-level division codes of GB/T 2260, one or more per province-level unit.
const COUNTIES: &[&str] = &[
    "110101", // 北京 东城区
    "110105", // 北京 朝阳区
    "120101", // 天津 和平区
    "130102", // 石家庄 长安区
    "140105", // 太原 小店区
    "150102", // 呼和浩特 新城区
    "210102", // 沈阳 和平区
    "220102", // 长春 南关区
    "230102", // 哈尔滨 道里区
    "310101", // 上海 黄浦区
    "310115", // 上海 浦东新区
    "320102", // 南京 玄武区
    "330102", // 杭州 上城区
    "330402", // 嘉兴 南湖区
    "330411", // 嘉兴 秀洲区
    "340102", // 合肥 瑶海区
    "350102", // 福州 鼓楼区
    "360102", // 南昌 东湖区
    "370102", // 济南 历下区
    "410102", // 郑州 中原区
    "420102", // 武汉 江岸区
    "430102", // 长沙 芙蓉区
    "440103", // 广州 荔湾区
    "440305", // 深圳 南山区
    "450102", // 南宁 兴宁区
    "460105", // 海口 秀英区
    "500101", // 重庆 万州区
    "510104", // 成都 锦江区
    "520102", // 贵阳 南明区
    "530102", // 昆明 五华区
    "540102", // 拉萨 城关区
    "610102", // 西安 新城区
    "620102", // 兰州 城关区
    "630102", // 西宁 城东区
    "640104", // 银川 兴庆区
    "650102", // 乌鲁木齐 天山区
];

const ID_CHARS: &[u8] = b"0123456789X";
const CREDIT_ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// The credit code alphabet as a regex class (I, O, S, V, Z left out).
const CREDIT_CLASS: &str = "[0-9A-HJ-NP-RTUW-Y]";

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap()
}

/// Any real date from 1900-01-01 to 2020-12-31.
fn birth_date() -> impl Strategy<Value = NaiveDate> {
    let last = NaiveDate::from_ymd_opt(2020, 12, 31).unwrap();
    let span = (last - first_day()).num_days() as u64;
    (0..=span).prop_map(|d| first_day().checked_add_days(Days::new(d)).unwrap())
}

/// (division, birth date, sequence, full 18-character number with computed check character).
fn valid_resident_id() -> impl Strategy<Value = (String, NaiveDate, u16, String)> {
    (prop::sample::select(COUNTIES), birth_date(), 1u16..=999).prop_map(|(division, birth, seq)| {
        let body = format!("{division}{}{seq:03}", birth.format("%Y%m%d"));
        let full = format!("{body}{}", resident_id::check_char(&body));
        (division.to_owned(), birth, seq, full)
    })
}

/// A valid credit code: 2 alphabet characters, 6 digits, 9 alphabet characters, check character.
fn valid_credit_code() -> impl Strategy<Value = String> {
    let pattern = format!("{CREDIT_CLASS}{{2}}[0-9]{{6}}{CREDIT_CLASS}{{9}}");
    prop::string::string_regex(&pattern)
        .unwrap()
        .prop_map(|body| format!("{body}{}", credit_code::check_char(&body)))
}

/// An 11-digit mainland mobile number.
fn mobile_digits() -> impl Strategy<Value = String> {
    "1[3-9][0-9]{9}"
}

/// A mobile number as people type it, and the 11 digits it must normalise to.
fn typed_mobile() -> impl Strategy<Value = (String, String)> {
    (mobile_digits(), 0..3usize, any::<bool>()).prop_map(|(digits, prefix, dashes)| {
        let prefix = ["", "+86 ", "0086"][prefix];
        let body = if dashes {
            format!("{}-{}-{}", &digits[..3], &digits[3..7], &digits[7..])
        } else {
            digits.clone()
        };
        (format!("{prefix}{body}"), digits)
    })
}

/// Strings of exactly 18 characters mixing digits, X and multi-byte characters, so that the
/// length check passes while byte offsets and character offsets disagree.
fn eighteen_mixed_chars() -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        4 => prop::char::range('0', '9'),
        1 => Just('X'),
        1 => Just('中'),
        1 => Just('é'),
        1 => Just('𝟗'),
        1 => Just('１'),
        1 => any::<char>(),
    ];
    prop::collection::vec(ch, 18).prop_map(|cs| cs.into_iter().collect())
}

fn replace_at(value: &str, pos: usize, with: u8) -> String {
    let mut bytes = value.as_bytes().to_vec();
    bytes[pos] = with;
    String::from_utf8(bytes).unwrap()
}

/// The generator's regex class yields every character of the alphabet and nothing else.
#[test]
fn credit_class_is_exactly_the_alphabet() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let strategy = prop::string::string_regex(&format!("{CREDIT_CLASS}{{3000}}")).unwrap();
    let sample = strategy
        .new_tree(&mut TestRunner::deterministic())
        .unwrap()
        .current();
    let mut seen: Vec<u8> = sample.into_bytes();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen, CREDIT_ALPHABET);
}

#[test]
fn multibyte_inputs_of_18_chars_are_refused_with_the_right_code() {
    assert_eq!(
        ResidentId::parse("中10105194912310021").unwrap_err().code,
        "digits"
    );
    assert_eq!(
        ResidentId::parse("1101051949123100中X").unwrap_err().code,
        "digits"
    );
    assert_eq!(
        ResidentId::parse("11010519491231002中").unwrap_err().code,
        "check_char"
    );
    assert_eq!(
        ResidentId::parse("１１０１０５１９４９１２３１００２X")
            .unwrap_err()
            .code,
        "digits"
    );
    let err = CreditCode::parse("9111000010001043中L").unwrap_err();
    assert_eq!(err.code, "charset");
    assert!(err.message.contains("17 (中)"), "{}", err.message);
    assert_eq!(
        Phone::parse("138１２３４５６７８").unwrap_err().code,
        "digits"
    );
}

#[test]
fn from_parts_refuses_bad_parts_without_panicking() {
    let birth = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
    assert_eq!(
        ResidentId::from_parts("", birth, 1).unwrap_err().code,
        "division"
    );
    assert_eq!(
        ResidentId::from_parts("33040", birth, 1).unwrap_err().code,
        "division"
    );
    assert_eq!(
        ResidentId::from_parts("33040中", birth, 1)
            .unwrap_err()
            .code,
        "division"
    );
    assert_eq!(
        ResidentId::from_parts("330402", birth, 0).unwrap_err().code,
        "sequence"
    );
    assert_eq!(
        ResidentId::from_parts("330402", birth, 1000)
            .unwrap_err()
            .code,
        "sequence"
    );
    assert_eq!(
        ResidentId::from_parts("330000", birth, 1).unwrap_err().code,
        "division"
    );
    let far = NaiveDate::from_ymd_opt(12_000, 1, 1).unwrap();
    assert_eq!(
        ResidentId::from_parts("330402", far, 1).unwrap_err().code,
        "birth_date"
    );
    assert_eq!(
        ResidentId::from_parts("330402", birth, 1).unwrap().as_str(),
        "330402199001010019"
    );
}

#[test]
fn mask_middle_with_huge_windows_hides_everything() {
    assert_eq!(
        mask_middle("13812345678", usize::MAX, usize::MAX),
        "***********"
    );
    assert_eq!(mask_middle("13812345678", usize::MAX, 1), "***********");
}

proptest! {
    // ---- ResidentId ----

    #[test]
    fn valid_resident_ids_parse_and_round_trip((division, birth, seq, full) in valid_resident_id()) {
        let id = ResidentId::parse(&full).unwrap();
        prop_assert_eq!(id.as_str(), full.as_str());
        prop_assert_eq!(id.division_code(), division.as_str());
        prop_assert_eq!(id.birth_date(), birth);
        prop_assert_eq!(id.is_male(), seq % 2 == 1);
        prop_assert_eq!(id.masked(), mask_id_number(&full));

        // Lower-case x, surrounding blanks and from_parts all give the same value.
        let lower = ResidentId::parse(&format!("  {}\t", full.to_ascii_lowercase())).unwrap();
        prop_assert_eq!(&lower, &id);
        prop_assert_eq!(&ResidentId::from_parts(&division, birth, seq).unwrap(), &id);
        prop_assert!(!format!("{id:?}").contains(&full[6..14]), "Debug must not show the birth date");
    }

    #[test]
    fn any_single_substitution_in_a_resident_id_fails((_, _, _, full) in valid_resident_id()) {
        // Exhaustive over every position (the check character included) and every other
        // character of the alphabet, so no position is left to chance.
        for pos in 0..18 {
            for &c in ID_CHARS {
                if c == full.as_bytes()[pos] {
                    continue;
                }
                let changed = replace_at(&full, pos, c);
                let result = ResidentId::parse(&changed);
                prop_assert!(result.is_err(), "{} (position {}) was accepted", changed, pos + 1);
                if pos == 17 {
                    prop_assert_eq!(result.unwrap_err().code, "check_char");
                } else if c == b'X' {
                    prop_assert_eq!(result.unwrap_err().code, "digits");
                }
            }
        }
    }

    #[test]
    fn resident_id_check_char_is_the_mod_11_2_residue((_, _, _, full) in valid_resident_id()) {
        // ISO 7064 MOD 11-2: sum of a_i * 2^(17-i) over all 18 characters (X = 10) ≡ 1 (mod 11).
        let sum: u64 = full
            .bytes()
            .enumerate()
            .map(|(i, b)| {
                let v = if b == b'X' { 10 } else { u64::from(b - b'0') };
                v * (1u64 << (17 - i))
            })
            .sum();
        prop_assert_eq!(sum % 11, 1);
    }

    #[test]
    fn resident_id_parse_never_panics(s in any::<String>()) {
        let _ = ResidentId::parse(&s);
    }

    #[test]
    fn resident_id_parse_never_panics_on_18_multibyte_chars(s in eighteen_mixed_chars()) {
        if let Ok(id) = ResidentId::parse(&s) {
            prop_assert!(id.as_str().is_ascii());
        }
        let _ = ResidentId::parse(&format!("{s}\u{3000}"));
    }

    #[test]
    fn resident_id_from_parts_never_panics(division in "\\PC{0,8}", day in 0u64..80_000, seq in any::<u16>()) {
        let birth = first_day().checked_add_days(Days::new(day)).unwrap();
        if let Ok(id) = ResidentId::from_parts(&division, birth, seq) {
            prop_assert_eq!(id.division_code(), division.as_str());
            prop_assert_eq!(id.birth_date(), birth);
        }
    }

    // ---- CreditCode ----

    #[test]
    fn valid_credit_codes_parse_and_round_trip(code in valid_credit_code()) {
        let parsed = CreditCode::parse(&code).unwrap();
        prop_assert_eq!(parsed.as_str(), code.as_str());
        prop_assert_eq!(parsed.division_code(), &code[2..8]);
        prop_assert_eq!(parsed.to_string(), code.clone());
        prop_assert_eq!(&CreditCode::parse(&format!(" {} ", code.to_ascii_lowercase())).unwrap(), &parsed);
    }

    #[test]
    fn any_single_substitution_in_a_credit_code_fails(code in valid_credit_code()) {
        for pos in 0..18 {
            for &c in CREDIT_ALPHABET {
                if c == code.as_bytes()[pos] {
                    continue;
                }
                let changed = replace_at(&code, pos, c);
                let result = CreditCode::parse(&changed);
                prop_assert!(result.is_err(), "{} (position {}) was accepted", changed, pos + 1);
                let expected = if (2..8).contains(&pos) && !c.is_ascii_digit() { "division" } else { "check_char" };
                prop_assert_eq!(result.unwrap_err().code, expected);
            }
        }
    }

    #[test]
    fn credit_code_forbidden_letters_fail(code in valid_credit_code(), pos in 0..18usize, c in prop::sample::select(&b"IOSVZ"[..])) {
        prop_assert_eq!(CreditCode::parse(&replace_at(&code, pos, c)).unwrap_err().code, "charset");
    }

    #[test]
    fn credit_code_parse_never_panics(s in any::<String>()) {
        let _ = CreditCode::parse(&s);
    }

    #[test]
    fn credit_code_parse_never_panics_on_18_multibyte_chars(s in eighteen_mixed_chars()) {
        if let Ok(code) = CreditCode::parse(&s) {
            prop_assert!(code.as_str().is_ascii());
        }
    }

    // ---- Phone ----

    #[test]
    fn valid_mobiles_parse_and_normalise((typed, digits) in typed_mobile()) {
        let phone = Phone::parse(&typed).unwrap();
        prop_assert_eq!(phone.as_str(), digits.as_str());
        prop_assert_eq!(phone.as_str().len(), 11);
    }

    #[test]
    fn mobile_masking_keeps_first_three_and_last_four((typed, digits) in typed_mobile()) {
        let phone = Phone::parse(&typed).unwrap();
        let expected = format!("{}****{}", &digits[..3], &digits[7..]);
        prop_assert_eq!(phone.masked(), expected.clone());
        prop_assert_eq!(mask_phone(&digits), expected.clone());
        prop_assert_eq!(format!("{phone:?}"), format!("Phone({expected})"));
    }

    #[test]
    fn valid_landlines_parse(area in "0[1-9][0-9]{1,2}", number in "[1-9][0-9]{6,7}", dash in any::<bool>()) {
        let typed = if dash { format!("{area}-{number}") } else { format!("{area}{number}") };
        let phone = Phone::parse(&typed).unwrap();
        prop_assert_eq!(phone.as_str(), format!("{area}{number}"));
    }

    #[test]
    fn phones_with_a_letter_fail(
        (typed, _) in typed_mobile(),
        at in any::<prop::sample::Index>(),
        letter in prop_oneof![prop::char::range('a', 'z'), prop::char::range('A', 'Z'), Just('中'), Just('ä')],
    ) {
        let mut chars: Vec<char> = typed.chars().collect();
        chars.insert(at.index(chars.len() + 1), letter);
        let with_letter: String = chars.into_iter().collect();
        prop_assert_eq!(Phone::parse(&with_letter).unwrap_err().code, "digits");
    }

    #[test]
    fn phone_parse_never_panics(s in any::<String>()) {
        let _ = Phone::parse(&s);
    }

    #[test]
    fn phone_parse_never_panics_on_multibyte(s in eighteen_mixed_chars(), prefix in prop::sample::select(&["", "+86", "0086", "1", "0"][..])) {
        let _ = Phone::parse(&format!("{prefix}{s}"));
        let _ = Phone::parse(&s[..s.char_indices().nth(11).map_or(s.len(), |(i, _)| i)]);
    }

    // ---- masking ----

    #[test]
    fn mask_id_number_hides_exactly_eight_of_eighteen(s in "\\PC{18}") {
        let masked = mask_id_number(&s);
        let original: Vec<char> = s.chars().collect();
        let out: Vec<char> = masked.chars().collect();
        prop_assert_eq!(out.len(), 18);
        prop_assert_eq!(&out[..6], &original[..6]);
        prop_assert_eq!(&out[14..], &original[14..]);
        prop_assert!(out[6..14].iter().all(|&c| c == '*'));
    }

    #[test]
    fn mask_id_number_of_a_valid_id((_, _, _, full) in valid_resident_id()) {
        let masked = mask_id_number(&full);
        prop_assert_eq!(masked.clone(), format!("{}********{}", &full[..6], &full[14..]));
        prop_assert_eq!(masked.matches('*').count(), 8);
    }

    #[test]
    fn mask_middle_never_panics_and_keeps_length(s in any::<String>(), head in any::<usize>(), tail in any::<usize>()) {
        let masked = mask_middle(&s, head, tail);
        prop_assert_eq!(masked.chars().count(), s.chars().count());
    }

    #[test]
    fn mask_middle_small_windows(s in any::<String>(), head in 0..24usize, tail in 0..24usize) {
        let masked = mask_middle(&s, head, tail);
        let original: Vec<char> = s.chars().collect();
        let out: Vec<char> = masked.chars().collect();
        prop_assert_eq!(out.len(), original.len());
        if original.len() > head + tail {
            prop_assert_eq!(&out[..head], &original[..head]);
            prop_assert_eq!(&out[out.len() - tail..], &original[original.len() - tail..]);
            prop_assert!(out[head..out.len() - tail].iter().all(|&c| c == '*'));
        } else {
            prop_assert!(out.iter().all(|&c| c == '*'));
        }
    }

    #[test]
    fn mask_name_never_panics_and_keeps_only_the_first_char(s in any::<String>()) {
        let masked = mask_name(&s);
        let mut original = s.chars();
        match original.next() {
            None => prop_assert!(masked.is_empty()),
            Some(first) => {
                let mut out = masked.chars();
                prop_assert_eq!(out.next(), Some(first));
                let rest: Vec<char> = out.collect();
                prop_assert_eq!(rest.len(), original.count().max(1));
                prop_assert!(rest.iter().all(|&c| c == '*'));
            }
        }
    }
}
