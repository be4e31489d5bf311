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
            date_joined -> Timestamptz,
            updated_at -> Timestamptz,
            credential_version -> Int4,
        }
    }

    diesel::table! {
        accounts.sessions (id) {
            id -> Uuid,
            user_id -> Uuid,
            created_at -> Timestamptz,
            last_used_at -> Timestamptz,
            expires_at -> Timestamptz,
            ended_at -> Nullable<Timestamptz>,
            user_agent -> Nullable<Text>,
            address -> Nullable<Text>,
        }
    }

    diesel::table! {
        accounts.refresh_tokens (hash) {
            hash -> Bytea,
            session_id -> Uuid,
            issued_at -> Timestamptz,
            rotated_at -> Nullable<Timestamptz>,
        }
    }

    diesel::joinable!(refresh_tokens -> sessions (session_id));
    diesel::joinable!(sessions -> users (user_id));

    diesel::allow_tables_to_appear_in_same_query!(outbox, refresh_tokens, sessions, users,);
}
