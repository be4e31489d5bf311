// @generated automatically by Diesel CLI.

pub mod crm {
    diesel::table! {
        crm.accounts (id) {
            id -> Uuid,
            name -> Text,
            account_number -> Nullable<Text>,
            phone -> Nullable<Text>,
            website -> Nullable<Text>,
            billing_street -> Text,
            billing_city -> Text,
            billing_state -> Nullable<Text>,
            billing_zip -> Nullable<Text>,
            billing_country -> Nullable<Text>,
            shipping_street -> Nullable<Text>,
            shipping_city -> Nullable<Text>,
            shipping_state -> Nullable<Text>,
            shipping_zip -> Nullable<Text>,
            shipping_country -> Nullable<Text>,
            parent_account_id -> Nullable<Uuid>,
            owner_id -> Uuid,
            created_by -> Uuid,
            modified_by -> Uuid,
            created_at -> Timestamptz,
            updated_at -> Timestamptz,
        }
    }

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
            account_id -> Nullable<Uuid>,
        }
    }

    diesel::table! {
        crm.deals (id) {
            id -> Uuid,
            name -> Text,
            amount -> Nullable<Numeric>,
            closing_date -> Nullable<Date>,
            currency -> Nullable<Text>,
            #[sql_name = "type"]
            type_ -> Nullable<Text>,
            stage -> Text,
            probability -> Int4,
            lead_source -> Nullable<Text>,
            description -> Nullable<Text>,
            campaign_source -> Nullable<Text>,
            account_id -> Uuid,
            lead_id -> Nullable<Uuid>,
            contact_id -> Nullable<Uuid>,
            owner_id -> Uuid,
            created_by -> Uuid,
            modified_by -> Uuid,
            created_at -> Timestamptz,
            updated_at -> Timestamptz,
        }
    }

    diesel::table! {
        crm.leads (id) {
            id -> Uuid,
            salutation -> Nullable<Text>,
            first_name -> Text,
            last_name -> Text,
            phone -> Text,
            email -> Text,
            company -> Nullable<Text>,
            product_name -> Nullable<Text>,
            currency_code -> Nullable<Text>,
            employee_count -> Nullable<Int4>,
            hq_code -> Nullable<Text>,
            billing_amount -> Nullable<Numeric>,
            exchange_rate -> Nullable<Numeric>,
            billing_street -> Nullable<Text>,
            billing_city -> Nullable<Text>,
            billing_state -> Nullable<Text>,
            billing_zip -> Nullable<Text>,
            billing_country -> Nullable<Text>,
            shipping_street -> Nullable<Text>,
            shipping_city -> Nullable<Text>,
            shipping_state -> Nullable<Text>,
            shipping_zip -> Nullable<Text>,
            shipping_country -> Nullable<Text>,
            lead_source -> Nullable<Text>,
            status -> Text,
            converted_contact_id -> Nullable<Uuid>,
            converted_account_id -> Nullable<Uuid>,
            converted_deal_id -> Nullable<Uuid>,
            converted_at -> Nullable<Timestamptz>,
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

    diesel::joinable!(contacts -> accounts (account_id));
    diesel::joinable!(deals -> accounts (account_id));
    diesel::joinable!(deals -> contacts (contact_id));
    diesel::joinable!(deals -> leads (lead_id));
    diesel::joinable!(users -> profiles (profile_id));
    diesel::joinable!(users -> roles (role_id));

    diesel::allow_tables_to_appear_in_same_query!(
        accounts,
        contacts,
        deals,
        leads,
        processed_events,
        profiles,
        roles,
        users,
    );
}
