//! The desk actor's catalog handlers.

use actix::prelude::*;

use super::messages::*;
use super::model as catalog;
use crate::desk::actor::DeskActor;
use crate::error::Error;
use crate::http::body::Checked;
use crate::http::page::Page;

impl Handler<ListCatalog> for DeskActor {
    type Result = ResponseActFuture<Self, Result<Page<catalog::CatalogItem>, Error>>;

    fn handle(&mut self, msg: ListCatalog, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move { catalog::list(&mut *deps.pool.get().await?, msg.catalog, &msg.page).await })
    }
}

impl Handler<GetCatalogItem> for DeskActor {
    type Result = ResponseActFuture<Self, Result<catalog::CatalogItem, Error>>;

    fn handle(&mut self, msg: GetCatalogItem, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move { catalog::get(&mut *deps.pool.get().await?, msg.catalog, msg.id).await })
    }
}

impl Handler<WriteCatalogItem> for DeskActor {
    type Result = ResponseActFuture<Self, Result<Option<catalog::CatalogItem>, Error>>;

    fn handle(&mut self, msg: WriteCatalogItem, _: &mut Self::Context) -> Self::Result {
        self.serve(|deps| async move {
            let conn = &mut *deps.pool.get().await?;
            match (msg.id, msg.write.map(Checked::into_inner)) {
                (None, Some(write)) => catalog::create(conn, msg.catalog, write).await.map(Some),
                (Some(id), Some(write)) => catalog::update(conn, msg.catalog, id, write).await.map(Some),
                (Some(id), None) => catalog::delete(conn, msg.catalog, id).await.map(|()| None),
                (None, None) => Err(Error::bad_request("id", "nothing to write")),
            }
        })
    }
}
