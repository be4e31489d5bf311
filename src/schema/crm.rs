// @generated automatically by Diesel CLI.

pub mod crm {
    diesel::table! {
        crm.contacts (id) {
            id -> Uuid,
            salutation -> Nullable<Text>,
            first_name -> Text,
            last_name -> Text,
            email -> Text,
            phone -> Nullable<Text>,
            mobile_phone -> Nullable<Text>,
            department -> Nullable<Text>,
            territory -> Nullable<Text>,
            secondary_phone -> Nullable<Text>,
            assistant_name -> Nullable<Text>,
            currency_code -> Nullable<Text>,
            mailing_street -> Nullable<Text>,
            mailing_city -> Nullable<Text>,
            mailing_state -> Nullable<Text>,
            mailing_zip -> Nullable<Text>,
            mailing_country -> Nullable<Text>,
            owner_id -> Uuid,
            created_by -> Uuid,
            modified_by -> Uuid,
            created_at -> Timestamptz,
            updated_at -> Timestamptz,
        }
    }

    diesel::table! {
        crm.processed_events (event_id) {
            event_id -> Uuid,
            processed_at -> Timestamptz,
        }
    }

    diesel::table! {
        crm.profiles (id) {
            id -> Uuid,
            name -> Text,
            description -> Nullable<Text>,
            permissions -> Jsonb,
            created_at -> Timestamptz,
            updated_at -> Timestamptz,
        }
    }

    diesel::table! {
        crm.roles (id) {
            id -> Uuid,
            name -> Text,
            description -> Nullable<Text>,
            parent_id -> Nullable<Uuid>,
            share_data_with_peers -> Bool,
            created_at -> Timestamptz,
            updated_at -> Timestamptz,
        }
    }

    diesel::table! {
        crm.users (id) {
            id -> Uuid,
            work_id -> Text,
            email -> Text,
            name -> Text,
            timezone -> Nullable<Text>,
            work_location -> Text,
            department -> Nullable<Text>,
            dept_manager -> Nullable<Text>,
            birthday -> Nullable<Date>,
            role_id -> Nullable<Uuid>,
            profile_id -> Nullable<Uuid>,
            version -> Int8,
            date_joined -> Timestamptz,
            updated_at -> Timestamptz,
            deleted_at -> Nullable<Timestamptz>,
            synced_at -> Timestamptz,
        }
    }

    diesel::joinable!(users -> profiles (profile_id));
    diesel::joinable!(users -> roles (role_id));

    diesel::allow_tables_to_appear_in_same_query!(contacts, processed_events, profiles, roles, users,);
}
