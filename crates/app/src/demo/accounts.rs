//! One demo account per role, each scoped where that role works in the report, so every view
//! of the platform can be tried by logging in as its role's name.

use domain::Role;

pub struct DemoAccount {
    pub username: &'static str,
    pub role: Role,
    /// Code of the area the account is scoped to.
    pub scope: &'static str,
    pub display_name: &'static str,
}

/// The password of every demo account. Public on purpose: the demo is for trying out.
pub const DEMO_PASSWORD: &str = "zhikong2020";

/// The resident's person record is renamed to this so the account and the record agree.
pub(super) const RESIDENT_NAME: &str = "王敏";

const ZONE: &str = "330402";
const CHENGNAN: &str = "330402001";
const JIABEI: &str = "330402002";
const TANGHUI: &str = "330402003";
const JINSUI: &str = "330402001001";

static ACCOUNTS: [DemoAccount; 10] = [
    DemoAccount {
        username: "resident",
        role: Role::Resident,
        scope: JINSUI,
        display_name: "金穗社区居民 王敏",
    },
    DemoAccount {
        username: "checkpoint_officer",
        role: Role::CheckpointOfficer,
        scope: CHENGNAN,
        display_name: "城南街道卡点 张伟",
    },
    DemoAccount {
        username: "community_worker",
        role: Role::CommunityWorker,
        scope: JINSUI,
        display_name: "金穗社区 李娟",
    },
    DemoAccount {
        username: "quarantine_staff",
        role: Role::QuarantineStaff,
        scope: JIABEI,
        display_name: "嘉北街道隔离点 刘洋",
    },
    DemoAccount {
        username: "returnee_desk",
        role: Role::ReturneeDesk,
        scope: ZONE,
        display_name: "外籍返嘉人员服务专班 陈静",
    },
    DemoAccount {
        username: "enterprise_contact",
        role: Role::EnterpriseContact,
        scope: ZONE,
        display_name: "企业联络员 赵磊",
    },
    DemoAccount {
        username: "liaison_officer",
        role: Role::LiaisonOfficer,
        scope: TANGHUI,
        display_name: "塘汇街道驻企指导员 黄勇",
    },
    DemoAccount {
        username: "department_reviewer",
        role: Role::DepartmentReviewer,
        scope: ZONE,
        display_name: "经济发展局 周杰",
    },
    DemoAccount {
        username: "commander",
        role: Role::Commander,
        scope: ZONE,
        display_name: "疫情防控指挥部 吴军",
    },
    DemoAccount {
        username: "admin",
        role: Role::Admin,
        scope: ZONE,
        display_name: "系统管理员 徐明",
    },
];

pub fn demo_accounts() -> &'static [DemoAccount] {
    &ACCOUNTS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_account_per_role_named_after_it() {
        assert_eq!(ACCOUNTS.len(), Role::ALL.len());
        for role in Role::ALL {
            let a = ACCOUNTS.iter().find(|a| a.role == role).unwrap();
            assert_eq!(a.username, role.as_str());
        }
        let resident = ACCOUNTS.iter().find(|a| a.role == Role::Resident).unwrap();
        assert!(resident.display_name.ends_with(RESIDENT_NAME));
    }
}
