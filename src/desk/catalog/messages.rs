//! The typed messages the desk actor answers for the catalog. Who may send them is checked at the
//! route: anyone signed in reads, a CRM manager writes.

use actix::Message;
use uuid::Uuid;

use super::model::{Catalog, CatalogItem, CatalogWrite};
use crate::error::Error;
use crate::http::body::Checked;
use crate::http::page::{Page, PageRequest};

/// Lists a catalog (anyone signed in).
#[derive(Debug, Message)]
#[rtype(result = "Result<Page<CatalogItem>, Error>")]
pub struct ListCatalog {
    pub catalog: Catalog,
    pub page: PageRequest,
}

/// Reads one catalog item (anyone signed in).
#[derive(Debug, Message)]
#[rtype(result = "Result<CatalogItem, Error>")]
pub struct GetCatalogItem {
    pub catalog: Catalog,
    pub id: Uuid,
}

/// Adds, changes (`id` given) or deletes (`write` absent) a catalog item: platform
/// administrators and the Administrator profile only.
#[derive(Debug, Message)]
#[rtype(result = "Result<Option<CatalogItem>, Error>")]
pub struct WriteCatalogItem {
    pub catalog: Catalog,
    pub id: Option<Uuid>,
    pub write: Option<Checked<CatalogWrite>>,
}
