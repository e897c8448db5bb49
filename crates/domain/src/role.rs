//! Roles of accounts and the rights each carries. An account also has an area scope; the app
//! layer checks both on every use case.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ValueError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Resident,
    CheckpointOfficer,
    CommunityWorker,
    QuarantineStaff,
    ReturneeDesk,
    EnterpriseContact,
    LiaisonOfficer,
    DepartmentReviewer,
    Commander,
    Admin,
}

/// What an account may do, beyond seeing what lies inside its area scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Right {
    /// List and open person records (masked).
    ViewPersons,
    /// Create and edit person records.
    EditPersons,
    /// See ID numbers and phones unmasked; every use is audited.
    ViewFullPersonalData,
    /// Create accounts and change roles.
    ManageAccounts,
    /// Read the audit log.
    ViewAudit,
    /// Verify scanned codes at a checkpoint or gate.
    VerifyCodes,
    /// Review appeals and change a code by hand (a red↔green change also needs a second
    /// approver holding this right).
    ReviewCodes,
    /// Import and edit the risk-area list.
    ManageRiskAreas,
    /// See the economic indicators, projects and buildings.
    ViewEconomy,
    /// Enter and import economic figures.
    EditEconomy,
    /// Create, edit and retire checkpoints and gates.
    ManageCheckpoints,
    /// Record cases, change their status, trace and add contacts.
    ManageCases,
    /// Report an enterprise's daily resumption and raise its requests (its own enterprise).
    ReportResumption,
    /// Serve enterprises: visits, prevention checks, requests, the resumption rates.
    ServeEnterprises,
    /// Manage enterprises, the grid and officers; import and export enterprises.
    ManageEnterprises,
    /// Review policy applications and disburse payouts.
    ReviewPolicies,
    /// The command centre: the risk map, the precision control index, the dashboard and the
    /// daily briefing (figures by area, no personal data).
    ViewCommand,
    /// See quarantine orders, checks, alerts and figures in the area.
    ViewQuarantine,
    /// Order, admit, transfer, extend and release quarantine; enter checks and tests.
    ManageQuarantine,
    /// Approve shortening a quarantine (the second person of a shortened end date).
    ReviewQuarantine,
    /// Create sites, rooms and teams; set the per-reason rules.
    ManageQuarantineSites,
    /// Register foreign arrivals, verify their certificates, assign service officers.
    ServeReturnees,
    /// Watch the daily jobs (recompute, follow-ups, purge, backup) and start one now.
    OperatePlatform,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Self::Resident,
        Self::CheckpointOfficer,
        Self::CommunityWorker,
        Self::QuarantineStaff,
        Self::ReturneeDesk,
        Self::EnterpriseContact,
        Self::LiaisonOfficer,
        Self::DepartmentReviewer,
        Self::Commander,
        Self::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Resident => "resident",
            Self::CheckpointOfficer => "checkpoint_officer",
            Self::CommunityWorker => "community_worker",
            Self::QuarantineStaff => "quarantine_staff",
            Self::ReturneeDesk => "returnee_desk",
            Self::EnterpriseContact => "enterprise_contact",
            Self::LiaisonOfficer => "liaison_officer",
            Self::DepartmentReviewer => "department_reviewer",
            Self::Commander => "commander",
            Self::Admin => "admin",
        }
    }

    pub fn has(self, right: Right) -> bool {
        use Right::*;
        use Role::*;
        match right {
            ViewPersons => matches!(
                self,
                CommunityWorker | QuarantineStaff | ReturneeDesk | Commander | Admin
            ),
            EditPersons => matches!(self, CommunityWorker | ReturneeDesk | Admin),
            // Those who must phone or identify people in their own area.
            ViewFullPersonalData => {
                matches!(self, CommunityWorker | QuarantineStaff | ReturneeDesk)
            }
            ManageAccounts | ViewAudit => matches!(self, Admin),
            VerifyCodes => !matches!(self, Resident | EnterpriseContact),
            ReviewCodes => matches!(self, CommunityWorker | Commander | Admin),
            ManageRiskAreas => matches!(self, Commander | Admin),
            ViewEconomy => matches!(
                self,
                DepartmentReviewer | Commander | Admin | LiaisonOfficer
            ),
            EditEconomy => matches!(self, DepartmentReviewer | Commander | Admin),
            ManageCheckpoints => matches!(self, Commander | Admin),
            ManageCases => matches!(self, CommunityWorker | Commander | Admin),
            ReportResumption => matches!(self, EnterpriseContact),
            ServeEnterprises => {
                matches!(
                    self,
                    LiaisonOfficer | DepartmentReviewer | Commander | Admin
                )
            }
            ManageEnterprises => matches!(self, Commander | Admin),
            ReviewPolicies => matches!(self, DepartmentReviewer | Admin),
            ViewCommand => matches!(self, Commander | Admin),
            ViewQuarantine => matches!(
                self,
                CommunityWorker | QuarantineStaff | ReturneeDesk | Commander | Admin
            ),
            ManageQuarantine => matches!(
                self,
                CommunityWorker | QuarantineStaff | ReturneeDesk | Commander | Admin
            ),
            ReviewQuarantine | ManageQuarantineSites => matches!(self, Commander | Admin),
            ServeReturnees => matches!(self, ReturneeDesk | Commander | Admin),
            OperatePlatform => matches!(self, Admin),
        }
    }
}

impl FromStr for Role {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| ValueError::new("unknown", format!("unknown role {s:?}")))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
    }

    #[test]
    fn only_admin_manages_accounts() {
        for role in Role::ALL {
            assert_eq!(role.has(Right::ManageAccounts), role == Role::Admin);
        }
    }

    #[test]
    fn commander_sees_masked_only() {
        assert!(Role::Commander.has(Right::ViewPersons));
        assert!(!Role::Commander.has(Right::ViewFullPersonalData));
    }
}
