//! The frame around every page: language, the signed-in account, its CSRF token and the
//! navigation its role may use.

use app::Actor;
use domain::{Right, Role};

use crate::i18n::Lang;

pub struct UserBadge {
    pub display_name: String,
    pub role: &'static str,
    pub role_key: String,
}

pub struct Chrome {
    pub lang: Lang,
    pub user: Option<UserBadge>,
    pub csrf: String,
    /// Path and query of this page, for the language switch to come back to.
    pub path: String,
    pub nav: Vec<(&'static str, &'static str)>,
}

impl Chrome {
    pub fn anonymous(lang: Lang, path: &str) -> Self {
        Chrome {
            lang,
            user: None,
            csrf: String::new(),
            path: path.to_owned(),
            nav: vec![],
        }
    }

    pub fn for_actor(lang: Lang, path: &str, actor: &Actor, csrf: &str) -> Self {
        Chrome {
            lang,
            user: Some(UserBadge {
                display_name: actor.display_name.clone(),
                role: actor.role.as_str(),
                role_key: format!("role.{}", actor.role.as_str()),
            }),
            csrf: csrf.to_owned(),
            path: path.to_owned(),
            nav: nav_for(actor.role),
        }
    }
}

fn nav_for(role: Role) -> Vec<(&'static str, &'static str)> {
    let mut nav = vec![("/home", "nav.home")];
    if role == Role::Resident {
        nav.push(("/code", "nav.code"));
    } else {
        nav.push(("/areas", "nav.areas"));
    }
    if role.has(Right::VerifyCodes) {
        nav.push(("/verify", "nav.verify"));
        nav.push(("/checkpoint", "nav.station"));
    }
    if role.has(Right::ReviewCodes) {
        nav.push(("/codes/review", "nav.review"));
    }
    if role.has(Right::ManageRiskAreas) {
        nav.push(("/risk-areas", "nav.risk_areas"));
    }
    if role.has(Right::ViewEconomy) {
        nav.push(("/economy", "nav.economy"));
    }
    if role.has(Right::ReportResumption) {
        nav.push(("/enterprise", "nav.enterprise"));
        nav.push(("/policies", "nav.policies"));
    }
    if role == Role::LiaisonOfficer {
        nav.push(("/officer", "nav.officer"));
    }
    if role.has(Right::ReviewPolicies) {
        nav.push(("/policies/review", "nav.policy_review"));
    }
    if role.has(Right::ServeEnterprises) && role != Role::LiaisonOfficer {
        nav.push(("/command-centre", "nav.command_centre"));
    }
    if role.has(Right::ViewCommand) {
        nav.push(("/command", "nav.command"));
    }
    if role.has(Right::ServeEnterprises) {
        nav.push(("/enterprises", "nav.enterprises"));
    }
    if role.has(Right::ViewQuarantine) {
        nav.push(("/quarantine", "nav.quarantine"));
    }
    if role.has(Right::ServeReturnees) {
        nav.push(("/returnees", "nav.returnees"));
    }
    if role.has(Right::ViewPersons) {
        nav.push(("/people", "nav.people"));
    }
    if role.has(Right::ManageCheckpoints) {
        nav.push(("/checkpoints", "nav.checkpoints"));
    }
    if role.has(Right::ViewAudit) {
        nav.push(("/audit", "nav.audit"));
    }
    if role.has(Right::OperatePlatform) {
        nav.push(("/jobs", "nav.jobs"));
    }
    nav
}
