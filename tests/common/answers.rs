//! Reading answers in tests, the one way to assert an answer's status and problem body:
//! `answer!(request, STATUS)` awaits a request and [`read`]s it; [`read`] checks the exact status,
//! that a 4xx is an RFC 9457 problem+json (`type`, `title`, `status`, `detail`) and answers the
//! JSON body; [`fields`] and [`named`] look into a problem's `errors`.

use reqwest::{Response, StatusCode};
use serde_json::Value;

/// `answer!(request, STATUS)`: awaits the request, asserts the status and answers the JSON body.
#[allow(unused_macros)]
macro_rules! answer {
    ($request:expr, $status:ident) => {
        $crate::common::answers::read($request.await, reqwest::StatusCode::$status, &format!("{}:{}", file!(), line!()))
            .await
    };
}
#[allow(unused_imports)]
pub(crate) use answer;

/// Checks a response's status and, for a 4xx, that it is a problem+json with `type`, `title`,
/// `detail` and the same `status`; answers the JSON body (`Null` for an empty 2xx/3xx/5xx body).
pub async fn read(response: Response, status: StatusCode, at: &str) -> Value {
    let actual = response.status();
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let text = response.text().await.expect("body");
    assert_eq!(actual, status, "{at}: {text}");
    if actual.is_client_error() {
        assert_eq!(content_type, "application/problem+json", "{at}: {text}");
    } else if text.is_empty() {
        return Value::Null;
    }
    let body: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{at}: {e}: {text}"));
    if actual.is_client_error() {
        assert_eq!(body["status"], actual.as_u16(), "{at}: status field in {text}");
        for field in ["type", "title", "detail"] {
            assert!(body[field].is_string(), "{at}: {field} in {text}");
        }
    }
    body
}

/// The field names listed in a problem's `errors`.
pub fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| errors.iter().filter_map(|e| e["field"].as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// Asserts that a problem names `field` in its `errors`.
pub fn named(problem: &Value, field: &str) {
    assert!(fields(problem).iter().any(|f| f == field), "{field} not named in {problem}");
}

/// A record's id.
pub fn id(record: &Value) -> String {
    record["id"].as_str().unwrap_or_else(|| panic!("no id in {record}")).to_string()
}
