// @generated automatically by Diesel CLI.

pub mod accounts {
    diesel::table! {
        accounts.outbox (seq) {
            seq -> Int8,
            id -> Uuid,
            event_type -> Text,
            envelope -> Jsonb,
            created_at -> Timestamptz,
            sent_at -> Nullable<Timestamptz>,
        }
    }

    diesel::table! {
        accounts.users (id) {
            id -> Uuid,
            work_id -> Text,
            email -> Text,
            name -> Text,
            password_hash -> Text,
            timezone -> Nullable<Text>,
            work_location -> Text,
            department -> Nullable<Text>,
            dept_manager -> Nullable<Text>,
            birthday -> Nullable<Date>,
            is_admin -> Bool,
            version -> Int8,
            tokens_valid_after -> Timestamptz,
            date_joined -> Timestamptz,
            updated_at -> Timestamptz,
        }
    }

    diesel::allow_tables_to_appear_in_same_query!(outbox, users,);
}
