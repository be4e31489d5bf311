//! OpenAPI paths of a record module, built from its [`RecordKind`] (the routes are generic, so
//! route annotations cannot describe them).

use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, Required, ResponseBuilder};
use utoipa::{PartialSchema, ToSchema};

use super::list::Filter;
use super::routes::{BulkAnswer, BulkDeleteRequest};
use super::RecordKind;

/// A JSON response with a schema reference.
fn json(description: &str, schema: &str) -> ResponseBuilder {
    ResponseBuilder::new()
        .description(description)
        .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name(schema))).build())
}

/// An error response.
fn problem(description: &str) -> ResponseBuilder {
    ResponseBuilder::new().description(description).content(
        "application/problem+json",
        ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
    )
}

fn parameter(name: &str, place: ParameterIn, description: &str) -> ParameterBuilder {
    let required = if place == ParameterIn::Path { Required::True } else { Required::False };
    ParameterBuilder::new().name(name).parameter_in(place).required(required).description(Some(description))
}

fn operation(tag: &str, summary: String) -> OperationBuilder {
    OperationBuilder::new()
        .tag(tag)
        .summary(Some(summary))
        .security(SecurityRequirement::new("bearer", Vec::<String>::new()))
        .response("401", problem("Not signed in"))
}

/// The component name of `T`: its schema name, followed by its type arguments for a generic type
/// (`DocumentView_WorkOrder`), so that two instances of one generic do not overwrite each other.
fn component_name<T: ToSchema>() -> String {
    let name = T::name().into_owned();
    let Some((_, arguments)) = std::any::type_name::<T>().split_once('<') else { return name };
    let arguments = arguments.trim_end_matches('>').split(", ").map(|path| path.rsplit("::").next().unwrap_or(path));
    std::iter::once(name.as_str()).chain(arguments).collect::<Vec<_>>().join("_")
}

/// Adds the paths and schemas of module `K` to the document.
pub fn add<K: RecordKind>(doc: &mut OpenApi) {
    let (listed, changes) = (component_name::<K::Listed>(), component_name::<K::Changes>());
    let (shown, saved) = (component_name::<K::Shown>(), component_name::<K::Saved>());
    let components = doc.components.get_or_insert_with(Default::default);
    for (name, schema) in [
        (listed.clone(), K::Listed::schema()),
        (changes.clone(), K::Changes::schema()),
        (shown.clone(), K::Shown::schema()),
        (saved.clone(), K::Saved::schema()),
        (BulkAnswer::name().to_string(), BulkAnswer::schema()),
        (BulkDeleteRequest::name().to_string(), BulkDeleteRequest::schema()),
    ] {
        components.schemas.insert(name, schema);
    }
    // The schemas those refer to (a ticket view's ticket, a document's lines).
    let mut schemas = Vec::new();
    K::Listed::schemas(&mut schemas);
    K::Changes::schemas(&mut schemas);
    K::Shown::schemas(&mut schemas);
    K::Saved::schemas(&mut schemas);
    BulkAnswer::schemas(&mut schemas);
    components.schemas.extend(schemas);

    let (base, noun, module) = (format!("/{}/{}", K::DOMAIN, K::PATH), K::NOUN, K::MODULE.to_string());
    let body = |description: &str| {
        RequestBodyBuilder::new()
            .description(Some(description))
            .required(Some(Required::True))
            .content(
                "application/json",
                ContentBuilder::new().schema(Some(Ref::from_schema_name(changes.as_str()))).build(),
            )
            .build()
    };
    let forbidden = || problem(&format!("The profile does not allow this action on {module}"));
    let invalid = || problem("Invalid fields, naming each");
    let missing = || problem(&format!("No such {noun}, or not visible"));
    let id = || parameter("id", ParameterIn::Path, &format!("The {noun}'s id")).build();

    let sorts: Vec<_> = K::SORTS.iter().map(|(name, _)| *name).collect();
    let mut list = operation(&module, format!("Lists the {module} the caller may see (visibility in SQL)"))
        .parameter(parameter("page", ParameterIn::Query, "Page number, from 1"))
        .parameter(parameter("limit", ParameterIn::Query, "Items per page, 1–100 (default 20)"))
        .parameter(parameter("search", ParameterIn::Query, "Case-insensitive substring of the searched text fields"))
        .parameter(parameter("sort", ParameterIn::Query, &format!("`field` or `-field`: {}", sorts.join(", "))))
        .parameter(parameter("ownerId", ParameterIn::Query, "Only records of this owner"));
    for filter in K::FILTERS {
        let (Filter::Id { param, .. } | Filter::Choice { param, .. } | Filter::Flag { param, .. }) = filter;
        list = list.parameter(parameter(param, ParameterIn::Query, "Only records with this value"));
    }
    let paths = &mut doc.paths;
    paths.add_path_operation(
        &base,
        vec![HttpMethod::Get],
        list.response(
            "200",
            ResponseBuilder::new().description(format!("`{{items, total, page, limit}}`, items as {listed}")),
        )
        .response("403", forbidden())
        .response("422", invalid()),
    );
    paths.add_path_operation(
        &base,
        vec![HttpMethod::Post],
        operation(&module, format!("Creates a {noun}"))
            .request_body(Some(body("The fields; required ones must be present")))
            .response("201", json("Created", &saved))
            .response("403", forbidden())
            .response("409", problem("A unique field is taken"))
            .response("422", invalid()),
    );
    paths.add_path_operation(
        format!("{base}/{{id}}"),
        vec![HttpMethod::Get],
        operation(&module, format!("Reads a {noun}"))
            .parameter(id())
            .response("200", json("The record", &shown))
            .response("404", missing()),
    );
    paths.add_path_operation(
        format!("{base}/{{id}}"),
        vec![HttpMethod::Patch],
        operation(&module, format!("Updates a {noun}: absent fields stay, null clears"))
            .parameter(id())
            .request_body(Some(body("The fields to change")))
            .response("200", json("Updated", &saved))
            .response("403", forbidden())
            .response("404", missing())
            .response("409", problem("A unique field is taken, a cycle, or an illegal status move"))
            .response("422", invalid()),
    );
    paths.add_path_operation(
        format!("{base}/{{id}}"),
        vec![HttpMethod::Delete],
        operation(&module, format!("Deletes a {noun}"))
            .parameter(id())
            .parameter(parameter("cascade", ParameterIn::Query, "Accounts: also delete its contacts and deals"))
            .response("204", ResponseBuilder::new().description("Deleted"))
            .response("403", forbidden())
            .response("404", missing())
            .response("409", problem("Other records still refer to it")),
    );
    paths.add_path_operation(
        format!("{base}/bulk-update"),
        vec![HttpMethod::Post],
        operation(&module, format!("Applies `changes` to each {noun} in `ids`; answers per id"))
            .request_body(Some(body("`{ids, changes}`; changes as in PATCH")))
            .response("200", json("One outcome per id", &BulkAnswer::name()))
            .response("422", invalid()),
    );
    paths.add_path_operation(
        format!("{base}/bulk-delete"),
        vec![HttpMethod::Post],
        operation(&module, format!("Deletes each {noun} in `ids`; answers per id"))
            .request_body(Some(
                RequestBodyBuilder::new()
                    .content(
                        "application/json",
                        ContentBuilder::new().schema(Some(Ref::from_schema_name(BulkDeleteRequest::name()))).build(),
                    )
                    .build(),
            ))
            .response("200", json("One outcome per id", &BulkAnswer::name()))
            .response("422", invalid()),
    );
}
