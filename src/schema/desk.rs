// @generated automatically by Diesel CLI.

pub mod desk {
    diesel::table! {
        desk.estimates (id) {
            id -> Uuid,
            title -> Text,
            summary -> Nullable<Text>,
            status -> Text,
            valid_until -> Nullable<Date>,
            contact_id -> Nullable<Uuid>,
            account_id -> Nullable<Uuid>,
            ticket_id -> Nullable<Uuid>,
            service_address -> Nullable<Jsonb>,
            billing_address -> Nullable<Jsonb>,
            terms_and_conditions -> Nullable<Text>,
            currency -> Text,
            subtotal -> Numeric,
            discount -> Numeric,
            tax -> Numeric,
            grand_total -> Numeric,
            converted_work_order_id -> Nullable<Uuid>,
            owner_id -> Uuid,
            created_by -> Uuid,
            modified_by -> Uuid,
            created_at -> Timestamptz,
            updated_at -> Timestamptz,
            deleted_at -> Nullable<Timestamptz>,
        }
    }

    diesel::table! {
        desk.order_lines (id) {
            id -> Uuid,
            work_order_id -> Nullable<Uuid>,
            estimate_id -> Nullable<Uuid>,
            position -> Int4,
            kind -> Text,
            service_id -> Nullable<Uuid>,
            part_id -> Nullable<Uuid>,
            quantity -> Numeric,
            unit_price -> Numeric,
            discount -> Numeric,
            tax_id -> Nullable<Uuid>,
            tax_percentage -> Nullable<Numeric>,
            line_subtotal -> Numeric,
            line_discount -> Numeric,
            line_tax -> Numeric,
            line_total -> Numeric,
        }
    }

    diesel::table! {
        desk.parts (id) {
            id -> Uuid,
            name -> Text,
            price -> Numeric,
            created_at -> Timestamptz,
            updated_at -> Timestamptz,
        }
    }

    diesel::table! {
        desk.services (id) {
            id -> Uuid,
            name -> Text,
            net_price -> Numeric,
            created_at -> Timestamptz,
            updated_at -> Timestamptz,
        }
    }

    diesel::table! {
        desk.taxes (id) {
            id -> Uuid,
            name -> Text,
            percentage -> Numeric,
            created_at -> Timestamptz,
            updated_at -> Timestamptz,
        }
    }

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

    diesel::table! {
        desk.work_orders (id) {
            id -> Uuid,
            title -> Text,
            summary -> Nullable<Text>,
            priority -> Text,
            status -> Text,
            billing_status -> Text,
            due_date -> Nullable<Timestamptz>,
            contact_id -> Nullable<Uuid>,
            account_id -> Nullable<Uuid>,
            ticket_id -> Nullable<Uuid>,
            service_address -> Nullable<Jsonb>,
            billing_address -> Nullable<Jsonb>,
            terms_and_conditions -> Nullable<Text>,
            currency -> Text,
            subtotal -> Numeric,
            discount -> Numeric,
            tax -> Numeric,
            grand_total -> Numeric,
            owner_id -> Uuid,
            created_by -> Uuid,
            modified_by -> Uuid,
            created_at -> Timestamptz,
            updated_at -> Timestamptz,
            deleted_at -> Nullable<Timestamptz>,
        }
    }

    diesel::joinable!(estimates -> tickets (ticket_id));
    diesel::joinable!(estimates -> work_orders (converted_work_order_id));
    diesel::joinable!(order_lines -> estimates (estimate_id));
    diesel::joinable!(order_lines -> parts (part_id));
    diesel::joinable!(order_lines -> services (service_id));
    diesel::joinable!(order_lines -> taxes (tax_id));
    diesel::joinable!(order_lines -> work_orders (work_order_id));
    diesel::joinable!(ticket_activity -> tickets (ticket_id));
    diesel::joinable!(ticket_comments -> tickets (ticket_id));
    diesel::joinable!(work_orders -> tickets (ticket_id));

    diesel::allow_tables_to_appear_in_same_query!(
        estimates,
        order_lines,
        parts,
        services,
        taxes,
        ticket_activity,
        ticket_comments,
        tickets,
        work_orders,
    );
}
