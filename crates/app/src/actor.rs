//! Who is acting: an account with its role and area scope, and where the request came from.
//! Every use case takes one and checks it; the web layer only builds it from the session.

use domain::{AreaKind, Right, Role, area::path_contains};
use store::Scope;

use crate::{AppError, Result};

#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The area the account may see, and everything below it.
    pub scope_area_id: i64,
    pub scope_kind: AreaKind,
    pub scope_path: String,
    pub person_id: Option<i64>,
    pub client_addr: String,
}

impl Actor {
    pub fn require(&self, right: Right) -> Result<()> {
        if self.role.has(right) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "role {} lacks the right {right:?}",
                self.role
            )))
        }
    }

    /// Refuse a record whose area path lies outside this account's scope.
    pub fn require_in_scope(&self, record_path: &str) -> Result<()> {
        if path_contains(&self.scope_path, record_path) {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "the record lies outside your area".into(),
            ))
        }
    }

    pub fn scope(&self) -> Scope {
        Scope {
            kind: self.scope_kind,
            area_id: self.scope_area_id,
        }
    }

    pub(crate) fn audit(
        &self,
        action: &str,
        record_type: &str,
        record_id: impl ToString,
    ) -> store::AuditEntry {
        store::AuditEntry {
            user_id: Some(self.user_id),
            username: self.username.clone(),
            role: self.role.as_str().to_owned(),
            action: action.to_owned(),
            record_type: record_type.to_owned(),
            record_id: record_id.to_string(),
            client_addr: self.client_addr.clone(),
            detail: String::new(),
        }
    }
}

impl Actor {
    /// The operator at the command line: acts on the whole database, as `admin`, and is named
    /// in the audit log as such.
    pub fn command_line(root_area_id: i64, root_path: &str) -> Actor {
        Actor {
            user_id: 0,
            username: "command-line".into(),
            display_name: "command line".into(),
            role: Role::Admin,
            scope_area_id: root_area_id,
            scope_kind: AreaKind::Zone,
            scope_path: root_path.to_owned(),
            person_id: None,
            client_addr: "local".into(),
        }
    }
}
