//! Names and places of origin for demo persons. Weights are rough, from the frequency of
//! surnames in China with Jiaxing's own common ones (沈, 陆, 顾, 钱, 褚, 屠) lifted, so a list of
//! residents looks like a list of residents of Jiaxing.

use super::dice::Dice;

/// About 100 surnames with weights in rough parts per thousand.
pub(super) const SURNAMES: &[(&str, u32)] = &[
    ("王", 72),
    ("李", 71),
    ("张", 68),
    ("刘", 54),
    ("陈", 53),
    ("杨", 32),
    ("黄", 23),
    ("赵", 22),
    ("吴", 20),
    ("周", 20),
    ("徐", 15),
    ("孙", 15),
    ("沈", 12),
    ("马", 14),
    ("朱", 13),
    ("胡", 12),
    ("郭", 11),
    ("何", 11),
    ("林", 10),
    ("高", 10),
    ("罗", 9),
    ("郑", 9),
    ("梁", 8),
    ("陆", 8),
    ("顾", 7),
    ("谢", 7),
    ("宋", 6),
    ("唐", 6),
    ("许", 6),
    ("韩", 6),
    ("钱", 5),
    ("冯", 5),
    ("邓", 5),
    ("曹", 5),
    ("彭", 5),
    ("曾", 5),
    ("肖", 5),
    ("田", 4),
    ("董", 4),
    ("潘", 4),
    ("袁", 4),
    ("于", 4),
    ("蒋", 4),
    ("蔡", 4),
    ("余", 4),
    ("杜", 4),
    ("叶", 4),
    ("程", 4),
    ("苏", 3),
    ("魏", 3),
    ("吕", 3),
    ("丁", 3),
    ("任", 3),
    ("姚", 3),
    ("卢", 3),
    ("姜", 3),
    ("崔", 3),
    ("钟", 3),
    ("谭", 3),
    ("汪", 3),
    ("范", 3),
    ("金", 3),
    ("石", 3),
    ("褚", 2),
    ("屠", 2),
    ("廖", 2),
    ("贾", 2),
    ("夏", 2),
    ("韦", 2),
    ("付", 2),
    ("方", 2),
    ("白", 2),
    ("邹", 2),
    ("孟", 2),
    ("熊", 2),
    ("秦", 2),
    ("邱", 2),
    ("江", 2),
    ("尹", 2),
    ("薛", 2),
    ("闫", 2),
    ("段", 2),
    ("雷", 2),
    ("侯", 2),
    ("龙", 2),
    ("史", 2),
    ("陶", 2),
    ("黎", 2),
    ("贺", 2),
    ("毛", 2),
    ("郝", 1),
    ("龚", 1),
    ("邵", 1),
    ("万", 1),
    ("严", 1),
    ("覃", 1),
    ("武", 1),
    ("戴", 1),
    ("莫", 1),
    ("孔", 1),
    ("汤", 1),
];

/// Given-name characters; the sex (from the ID number's sequence) picks the list, so names
/// agree with the ID number they come with.
const MALE: &[char] = &[
    '伟', '强', '磊', '军', '勇', '杰', '涛', '斌', '超', '明', '刚', '平', '辉', '鹏', '华', '飞',
    '鑫', '波', '宇', '浩', '凯', '健', '俊', '帆', '亮', '成', '建', '峰', '志', '国', '东', '海',
    '龙', '林', '晨', '阳', '坤', '栋', '博', '轩', '睿', '豪', '昊', '然', '泽', '宁', '锋', '洪',
    '江', '毅',
];
const FEMALE: &[char] = &[
    '芳', '娜', '敏', '静', '丽', '艳', '娟', '霞', '燕', '玲', '婷', '雪', '琳', '慧', '莹', '洁',
    '萍', '红', '梅', '倩', '颖', '琴', '云', '兰', '秀', '英', '佳', '欣', '怡', '涵', '萱', '悦',
    '诗', '雨', '彤', '薇', '琪', '晶', '丹', '露', '月', '蕾', '妍', '瑶', '淑', '珍', '凤', '桂',
];
/// Characters either sex uses, only as the first of two.
const EITHER: &[char] = &[
    '晓', '春', '秋', '一', '思', '嘉', '子', '天', '小', '新', '正', '永', '玉', '金', '立', '家',
    '安', '宏', '振', '光', '德', '清', '荣', '世', '诚', '信', '益', '和', '乐', '心', '若', '可',
    '文', '雅', '梓', '紫',
];

pub(super) fn chinese_name(dice: &mut Dice, male: bool) -> String {
    let own = if male { MALE } else { FEMALE };
    let mut name = String::with_capacity(9);
    name.push_str(dice.weighted::<&str>(SURNAMES));
    // A quarter of people have a one-character given name.
    if dice.percent(75) {
        let first = if dice.percent(50) {
            *dice.pick(EITHER)
        } else {
            *dice.pick(own)
        };
        name.push(first);
    }
    name.push(*dice.pick(own));
    name
}

/// GB/T 2260 division codes of first registration. Residents are mostly from Jiaxing; the
/// zone's factories draw workers from the inland provinces, as the report's return-to-work
/// chartered buses and trains did.
pub(super) const RESIDENT_DIVISIONS: &[(&str, u32)] = &[
    ("330402", 45), // 嘉兴 南湖区
    ("330411", 15), // 嘉兴 秀洲区
    ("330421", 6),  // 嘉善县
    ("330424", 6),  // 海盐县
    ("330481", 6),  // 海宁市
    ("330482", 6),  // 平湖市
    ("330483", 6),  // 桐乡市
    ("330106", 2),  // 杭州 西湖区
    ("310115", 2),  // 上海 浦东新区
    ("320506", 2),  // 苏州 吴中区
    ("341222", 2),  // 阜阳 太和县
    ("330382", 2),  // 温州 乐清市
];

pub(super) const WORKER_DIVISIONS: &[(&str, u32)] = &[
    ("330402", 15),
    ("330411", 8),
    ("330421", 3),
    ("330424", 3),
    ("330481", 3),
    ("330482", 3),
    ("330483", 3),
    ("341222", 10), // 安徽 阜阳 太和县
    ("411522", 8),  // 河南 信阳 光山县
    ("511381", 6),  // 四川 南充 阆中市
    ("522121", 6),  // 贵州 遵义县
    ("362330", 6),  // 江西 上饶 鄱阳县
    ("430524", 6),  // 湖南 邵阳 隆回县
    ("342623", 5),  // 安徽 巢湖 无为县
    ("412726", 5),  // 河南 周口 郸城县
    ("513030", 4),  // 四川 达州 渠县
    ("532128", 4),  // 云南 昭通 镇雄县
    ("360731", 2),  // 江西 赣州 于都县
];

pub(super) const VISITOR_DIVISIONS: &[(&str, u32)] = &[
    ("330402", 15),
    ("330411", 8),
    ("330481", 4),
    ("330483", 3),
    ("310104", 10), // 上海 徐汇区
    ("310115", 10), // 上海 浦东新区
    ("330106", 10), // 杭州 西湖区
    ("320583", 8),  // 苏州 昆山市
    ("320506", 8),  // 苏州 吴中区
    ("330203", 5),  // 宁波 海曙区
    ("340104", 5),  // 合肥 蜀山区
    ("110105", 5),  // 北京 朝阳区
    ("440305", 5),  // 深圳 南山区
    ("420106", 4),  // 武汉 武昌区
];

/// A foreign nationality: ISO 3166-1 alpha-3, weight, a passport-number pattern (`#` a digit,
/// `@` a capital letter, anything else literal), and family and given names as a passport
/// prints them in Latin letters. Korea and Japan lead: their firms are the zone's largest
/// foreign investors.
pub(super) struct Nationality {
    pub code: &'static str,
    pub weight: u32,
    pub passport: &'static str,
    pub families: &'static [&'static str],
    pub givens: &'static [&'static str],
}

pub(super) const NATIONALITIES: &[Nationality] = &[
    Nationality {
        code: "KOR",
        weight: 30,
        passport: "M########",
        families: &[
            "KIM", "LEE", "PARK", "CHOI", "JUNG", "KANG", "CHO", "YOON", "JANG", "LIM",
        ],
        givens: &[
            "Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Do-yun", "Seo-jun", "Ji-woo", "Su-bin",
            "Hyun-woo", "Eun-ji",
        ],
    },
    Nationality {
        code: "JPN",
        weight: 25,
        passport: "T@#######",
        families: &[
            "SATO",
            "SUZUKI",
            "TAKAHASHI",
            "TANAKA",
            "WATANABE",
            "ITO",
            "YAMAMOTO",
            "NAKAMURA",
            "KOBAYASHI",
            "KATO",
        ],
        givens: &[
            "Haruto", "Yui", "Sota", "Aoi", "Ren", "Hina", "Yuto", "Sakura", "Takumi", "Yuki",
        ],
    },
    Nationality {
        code: "DEU",
        weight: 12,
        passport: "C@@#####@",
        families: &[
            "MUELLER",
            "SCHMIDT",
            "SCHNEIDER",
            "FISCHER",
            "WEBER",
            "MEYER",
            "WAGNER",
            "BECKER",
            "HOFFMANN",
            "KOCH",
        ],
        givens: &[
            "Lukas", "Anna", "Felix", "Lena", "Jonas", "Marie", "Paul", "Laura", "Max", "Sophie",
        ],
    },
    Nationality {
        code: "USA",
        weight: 10,
        passport: "5########",
        families: &[
            "SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "MILLER", "DAVIS", "WILSON",
            "TAYLOR", "CLARK",
        ],
        givens: &[
            "James", "Mary", "John", "Emily", "Michael", "Sarah", "David", "Jessica", "Daniel",
            "Ashley",
        ],
    },
    Nationality {
        code: "ITA",
        weight: 6,
        passport: "Y@#######",
        families: &[
            "ROSSI", "RUSSO", "FERRARI", "ESPOSITO", "BIANCHI", "ROMANO", "COLOMBO", "RICCI",
        ],
        givens: &[
            "Marco",
            "Giulia",
            "Luca",
            "Chiara",
            "Matteo",
            "Francesca",
            "Andrea",
            "Sara",
        ],
    },
    Nationality {
        code: "FRA",
        weight: 6,
        passport: "##@@#####",
        families: &[
            "MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND",
        ],
        givens: &[
            "Louis", "Camille", "Hugo", "Chloe", "Lucas", "Manon", "Jules", "Ines",
        ],
    },
    Nationality {
        code: "GBR",
        weight: 6,
        passport: "1########",
        families: &[
            "SMITH", "JONES", "TAYLOR", "BROWN", "EVANS", "WALKER", "WRIGHT", "ROBINSON",
        ],
        givens: &[
            "Oliver", "Amelia", "George", "Isla", "Harry", "Olivia", "Jack", "Emily",
        ],
    },
    Nationality {
        code: "SGP",
        weight: 5,
        passport: "K#######@",
        families: &["TAN", "LIM", "LEE", "NG", "ONG", "WONG", "GOH", "CHUA"],
        givens: &[
            "Wei Ming", "Hui Min", "Jun Jie", "Xin Yi", "Zhi Hao", "Mei Ling", "Kai Wen", "Shu Fen",
        ],
    },
];

pub(super) fn nationality(dice: &mut Dice) -> &'static Nationality {
    let total: u32 = NATIONALITIES.iter().map(|n| n.weight).sum();
    let mut roll = dice.below(total);
    for n in NATIONALITIES {
        if roll < n.weight {
            return n;
        }
        roll -= n.weight;
    }
    unreachable!("roll is below the total weight")
}

/// `KIM Min-jun`: family name in capitals first, as the passport's data page has it.
pub(super) fn latin_name(dice: &mut Dice, n: &Nationality) -> String {
    format!("{} {}", dice.pick(n.families), dice.pick(n.givens))
}

pub(super) fn passport_no(dice: &mut Dice, n: &Nationality) -> String {
    n.passport
        .chars()
        .map(|c| match c {
            '#' => char::from(b'0' + dice.below(10) as u8),
            '@' => char::from(b'A' + dice.below(26) as u8),
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::dice::Stream;
    use super::*;

    #[test]
    fn lists_are_the_promised_sizes() {
        assert!(SURNAMES.len() >= 100);
        assert!(MALE.len() + FEMALE.len() + EITHER.len() >= 130);
    }

    #[test]
    fn passports_follow_their_pattern() {
        let mut d = Dice::new(3, Stream::Persons);
        for n in NATIONALITIES {
            let p = passport_no(&mut d, n);
            assert_eq!(domain::person::parse_passport(&p).unwrap(), p);
            assert_eq!(domain::person::parse_nationality(n.code).unwrap(), n.code);
        }
    }
}
