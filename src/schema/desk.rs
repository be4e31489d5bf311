// @generated automatically by Diesel CLI.

pub mod desk {
    diesel::table! {
        desk.ticket_activity (id) {
            id -> Uuid,
            ticket_id -> Uuid,
            kind -> Text,
            actor_id -> Uuid,
            details -> Jsonb,
            created_at -> Timestamptz,
        }
    }

    diesel::table! {
        desk.ticket_comments (id) {
            id -> Uuid,
            ticket_id -> Uuid,
            body -> Text,
            public -> Bool,
            author_id -> Uuid,
            created_at -> Timestamptz,
        }
    }

    diesel::table! {
        desk.tickets (id) {
            id -> Uuid,
            subject -> Text,
            description -> Text,
            status -> Text,
            priority -> Text,
            classification -> Nullable<Text>,
            channel -> Nullable<Text>,
            category -> Nullable<Text>,
            subcategory -> Nullable<Text>,
            language -> Nullable<Text>,
            product_name -> Nullable<Text>,
            contact_id -> Nullable<Uuid>,
            account_id -> Nullable<Uuid>,
            email -> Nullable<Text>,
            phone -> Nullable<Text>,
            owner_id -> Uuid,
            due_date -> Nullable<Timestamptz>,
            on_hold_since -> Nullable<Timestamptz>,
            closed_at -> Nullable<Timestamptz>,
            created_by -> Uuid,
            modified_by -> Uuid,
            created_at -> Timestamptz,
            updated_at -> Timestamptz,
            deleted_at -> Nullable<Timestamptz>,
        }
    }

    diesel::joinable!(ticket_activity -> tickets (ticket_id));
    diesel::joinable!(ticket_comments -> tickets (ticket_id));

    diesel::allow_tables_to_appear_in_same_query!(ticket_activity, ticket_comments, tickets,);
}
