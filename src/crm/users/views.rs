//! Response bodies of the CRM routes.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::model::CrmUser;

/// A user of the CRM directory.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CrmUserView {
    pub id: Uuid,
    pub work_id: String,
    pub email: String,
    pub name: String,
    pub timezone: Option<String>,
    pub work_location: String,
    pub department: Option<String>,
    pub dept_manager: Option<String>,
    pub birthday: Option<NaiveDate>,
    /// The user's CRM role (assigned in CRM).
    pub role_id: Option<Uuid>,
    /// The user's CRM profile (assigned in CRM).
    pub profile_id: Option<Uuid>,
    pub date_joined: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<CrmUser> for CrmUserView {
    fn from(user: CrmUser) -> Self {
        Self {
            id: user.id,
            work_id: user.work_id,
            email: user.email,
            name: user.name,
            timezone: user.timezone,
            work_location: user.work_location,
            department: user.department,
            dept_manager: user.dept_manager,
            birthday: user.birthday,
            role_id: user.role_id,
            profile_id: user.profile_id,
            date_joined: user.date_joined,
            updated_at: user.updated_at,
        }
    }
}

/// A page of CRM users.
#[derive(Debug, Serialize, ToSchema)]
pub struct CrmUserPage {
    pub items: Vec<CrmUserView>,
    pub total: i64,
    pub page: i64,
    pub limit: i64,
}
