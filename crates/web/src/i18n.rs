//! Interface language: zh-CN by default, English on request (`/lang/en`, remembered in a
//! cookie). Texts live in one table so that a missing translation is a test failure.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn from_tag(tag: &str) -> Option<Lang> {
        match tag {
            "zh" | "zh-CN" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The other language, for the switch in the header.
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// Text for `key`; the key itself if the table lacks it (a test checks it never does).
    pub fn t(self, key: &str) -> &'static str {
        match TEXTS.iter().find(|(k, _, _)| *k == key) {
            Some((_, zh, en)) => match self {
                Lang::Zh => zh,
                Lang::En => en,
            },
            None => leak_missing(key),
        }
    }
}

fn leak_missing(key: &str) -> &'static str {
    // Only reached for keys outside the table, which the test below forbids; the leak is
    // bounded by the number of distinct keys in the templates.
    Box::leak(key.to_owned().into_boxed_str())
}

/// (key, zh-CN, en)
pub const TEXTS: &[(&str, &str, &str)] = &[
    ("app.name", "智控", "zhikong"),
    ("app.tagline", "精密智控平台", "Precision control platform"),
    (
        "app.zone",
        "嘉兴经济技术开发区",
        "Jiaxing Economic & Technological Development Zone",
    ),
    ("lang.switch", "English", "中文"),
    ("nav.home", "首页", "Home"),
    ("nav.areas", "区域", "Areas"),
    ("nav.people", "人员", "People"),
    ("nav.audit", "审计日志", "Audit log"),
    ("nav.logout", "退出", "Log out"),
    ("login.title", "登录", "Log in"),
    ("login.username", "用户名", "Username"),
    ("login.password", "密码", "Password"),
    ("login.submit", "登录", "Log in"),
    (
        "login.demo_hint",
        "演示账号见 README：每个角色一个账号，密码 zhikong2020。",
        "Demo accounts are listed in the README: one per role, password zhikong2020.",
    ),
    ("home.scope", "管辖范围", "Area scope"),
    ("home.role", "角色", "Role"),
    ("home.duties", "职责", "What you do here"),
    ("home.go", "前往", "Go to"),
    ("role.resident", "居民", "Resident"),
    ("role.checkpoint_officer", "卡点值守", "Checkpoint officer"),
    ("role.community_worker", "社区工作者", "Community worker"),
    (
        "role.quarantine_staff",
        "隔离点工作人员",
        "Quarantine-site staff",
    ),
    (
        "role.returnee_desk",
        "外籍返嘉人员服务专班",
        "Foreign-returnee desk",
    ),
    (
        "role.enterprise_contact",
        "企业联络人",
        "Enterprise contact",
    ),
    ("role.liaison_officer", "驻企指导员", "Liaison officer"),
    (
        "role.department_reviewer",
        "部门审核",
        "Department reviewer",
    ),
    ("role.commander", "指挥部", "Commander"),
    ("role.admin", "系统管理员", "Administrator"),
    (
        "duty.resident",
        "申报健康与行程、每日健康打卡、出示健康码，对错误的码颜色提出纠错申诉。",
        "Declare health and itinerary, check in daily, show your health code, and appeal a wrong colour.",
    ),
    (
        "duty.checkpoint_officer",
        "在15个交通卡点及社区、企业、商业区、园区小门扫码测温，决定通行、复核或劝返。",
        "Scan codes and take temperatures at the 15 traffic checkpoints and the gates of communities, factories, commercial areas and parks; decide pass, refer or stop.",
    ),
    (
        "duty.community_worker",
        "管理本社区居民、居家隔离和每日随访。",
        "Look after the residents of your community, home quarantine and daily follow-up.",
    ),
    (
        "duty.quarantine_staff",
        "管理集中隔离点：房间、每日两次体温、核酸检测、解除隔离。",
        "Run a centralized quarantine site: rooms, two temperature checks a day, tests, release.",
    ),
    (
        "duty.returnee_desk",
        "登记外籍返嘉人员，核验其健康证明，指派服务专员。",
        "Register foreign arrivals, verify their health certificates, assign a service officer.",
    ),
    (
        "duty.enterprise_contact",
        "每日报告复工复产，提出诉求，申请政策资金。",
        "Report resumption of work daily, raise requests, apply for policy funds.",
    ),
    (
        "duty.liaison_officer",
        "走访联系企业，检查防疫方案、人员、现场，解决或上报诉求。",
        "Visit your enterprises, check plan, staff and site, resolve or escalate requests.",
    ),
    (
        "duty.department_reviewer",
        "审核政策申请，办理上报的企业诉求。",
        "Review policy applications and handle escalated requests.",
    ),
    (
        "duty.commander",
        "掌握全局：风险地图、指数、指挥大屏、每日研判简报。",
        "The whole picture: the map, the index, the dashboard and the daily briefing.",
    ),
    (
        "duty.admin",
        "管理账号、角色、区域、规则和密钥；查看审计日志。",
        "Manage accounts, roles, areas, rules and keys; read the audit log.",
    ),
    ("area.kind.zone", "园区", "Zone"),
    ("area.kind.street", "街道", "Street"),
    ("area.kind.community", "社区", "Community"),
    ("area.kind.micro_grid", "微网格", "Micro-grid"),
    ("area.code", "代码", "Code"),
    ("area.name", "名称", "Name"),
    ("area.persons", "人员数", "Persons"),
    ("area.children", "下级区域", "Sub-areas"),
    ("area.map", "分布图", "Map"),
    ("area.map_legend", "居住人口", "Residents"),
    (
        "area.map_empty",
        "下级区域尚无边界。可用 zhikong import areas 导入 GeoJSON。",
        "No boundaries for the sub-areas yet; import GeoJSON with zhikong import areas.",
    ),
    ("area.none", "没有下级区域。", "No sub-areas."),
    ("area.boundary", "边界", "Boundary"),
    (
        "area.has_boundary",
        "已有 GeoJSON 边界",
        "GeoJSON boundary on file",
    ),
    ("area.no_boundary", "尚无边界", "No boundary yet"),
    ("people.title", "人员", "People"),
    (
        "people.search",
        "姓名开头、完整身份证号或手机号",
        "Start of a name, full ID number or phone",
    ),
    ("people.search_button", "查询", "Search"),
    ("people.all_categories", "全部类别", "All categories"),
    ("people.sort_id", "按登记顺序", "By registration"),
    ("people.sort_name", "按姓名", "By name"),
    ("people.total", "辖区内人员", "Persons in your area"),
    (
        "people.empty",
        "没有符合条件的人员。换个姓名开头，或输入完整的身份证号或手机号。",
        "No one matches. Try the start of a name, or a full ID number or phone number.",
    ),
    ("people.next", "下一页", "Next page"),
    ("people.first", "第一页", "First page"),
    ("people.new", "登记人员", "Register a person"),
    ("people.export", "导出 CSV（脱敏）", "Export CSV (masked)"),
    (
        "people.export_hint",
        "身份证号与手机号已脱敏。",
        "ID numbers and phones are masked.",
    ),
    ("person.name", "姓名", "Name"),
    ("person.id_number", "身份证号", "ID number"),
    ("person.phone", "手机号", "Phone"),
    ("person.category", "类别", "Category"),
    ("person.community", "所属社区", "Community"),
    ("person.micro_grid", "微网格", "Micro-grid"),
    ("person.nationality", "国籍", "Nationality"),
    ("person.passport_no", "护照号", "Passport number"),
    (
        "person.area_code",
        "社区或微网格代码",
        "Community or micro-grid code",
    ),
    (
        "person.show_full",
        "查看完整信息（将记入审计日志）",
        "Show in full (recorded in the audit log)",
    ),
    (
        "person.full_notice",
        "完整信息，本次查看已记入审计日志。",
        "Shown in full; this view has been recorded in the audit log.",
    ),
    ("person.save", "保存", "Save"),
    ("person.created", "已登记。", "Registered."),
    ("category.resident", "常住居民", "Resident"),
    ("category.worker", "务工人员", "Worker"),
    ("category.visitor", "访客", "Visitor"),
    ("category.foreign", "外籍人员", "Foreign national"),
    ("audit.title", "审计日志", "Audit log"),
    ("audit.at", "时间", "Time"),
    ("audit.who", "操作人", "Who"),
    ("audit.action", "操作", "Action"),
    ("audit.record", "记录", "Record"),
    ("audit.client", "来源地址", "Client address"),
    ("audit.empty", "尚无审计记录。", "No audit entries yet."),
    ("audit.older", "更早", "Older"),
    ("error.title", "出错了", "Something went wrong"),
    ("error.back", "返回首页", "Back to the home page"),
    (
        "error.fields",
        "请修正以下内容：",
        "Please correct the following:",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_used_in_templates_is_translated() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let mut missing = vec![];
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for part in text.split("t(\"").skip(1) {
                let key = &part[..part.find('"').unwrap()];
                if !TEXTS.iter().any(|(k, _, _)| *k == key) {
                    missing.push(key.to_owned());
                }
            }
        }
        assert!(missing.is_empty(), "untranslated keys: {missing:?}");
    }

    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<_> = TEXTS.iter().map(|(k, _, _)| k).collect();
        keys.sort();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n);
    }
}
