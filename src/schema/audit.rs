// @generated automatically by Diesel CLI.

pub mod audit {
    diesel::table! {
        audit.entries (id) {
            id -> Int8,
            at -> Timestamptz,
            actor_id -> Nullable<Uuid>,
            action -> Text,
            target_type -> Nullable<Text>,
            target_id -> Nullable<Text>,
            fields -> Array<Text>,
            node -> Text,
            address -> Nullable<Text>,
            request_id -> Nullable<Text>,
        }
    }
}
